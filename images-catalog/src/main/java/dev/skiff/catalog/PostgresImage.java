package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.wait.Wait;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PostgreSQL from the official {@code postgres} image: {@code POSTGRES_DB}, {@code POSTGRES_USER} (the superuser),
 * {@code POSTGRES_PASSWORD}; init scripts ({@code .sql}, {@code .sql.gz}, {@code .sh}) run once at first start from
 * {@code /docker-entrypoint-initdb.d}; server settings as {@code postgres -c name=value}. Durability is off by default
 * ({@code fsync}, {@code synchronous_commit}, {@code full_page_writes}): a throwaway database need not survive a
 * crash, and tests run faster. Containers start from a {@linkplain ContainerSpec.Builder#snapshot snapshot} of an
 * equal definition's initialised database ({@link #withoutSnapshot()} to initialise each). Ready when port 5432
 * listens and the log has said twice either "ready to accept connections" or "Skipping initialization": a first
 * start's set-up server says ready once before the real server does (and listens on no TCP port), a start from a
 * snapshot skips the set-up. Database, user and password default to {@code test}.
 *
 * <pre>{@code
 * PostgresImage postgres = PostgresImage.version("15")
 *     .withInitScript("db/schema.sql")
 *     .withSetting("max_connections", "20");
 * }</pre>
 */
public final class PostgresImage implements ContainerDefinition<PostgresDatabase> {
  static final int PORT = 5432;
  private static final Map<String, String> FAST = fast();

  private final String image;
  private final DatabaseSettings settings;
  private final Map<String, String> serverSettings;

  private PostgresImage(String image, DatabaseSettings settings, Map<String, String> serverSettings) {
    this.image = Objects.requireNonNull(image, "image");
    this.settings = settings;
    this.serverSettings = Collections.unmodifiableMap(new LinkedHashMap<>(serverSettings));
  }

  private static Map<String, String> fast() {
    Map<String, String> fast = new LinkedHashMap<>();
    fast.put("fsync", "off");
    fast.put("synchronous_commit", "off");
    fast.put("full_page_writes", "off");
    return fast;
  }

  /** {@code postgres:VERSION}, e.g. {@code 15}. */
  public static PostgresImage version(String version) {
    return ofImage("postgres:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static PostgresImage ofImage(String image) {
    return new PostgresImage(image, DatabaseSettings.DEFAULTS, FAST);
  }

  public PostgresImage withDatabaseName(String databaseName) {
    return new PostgresImage(image, settings.withDatabaseName(databaseName), serverSettings);
  }

  /** The superuser the entrypoint creates. */
  public PostgresImage withUsername(String username) {
    return new PostgresImage(image, settings.withUsername(username), serverSettings);
  }

  public PostgresImage withPassword(String password) {
    return new PostgresImage(image, settings.withPassword(password), serverSettings);
  }

  /** Adds class-path resources ({@code db/schema.sql}) run in order at first start, after those added before. */
  public PostgresImage withInitScript(String... resources) {
    return new PostgresImage(image, settings.withInitScripts(resources), serverSettings);
  }

  /** Sets a server setting, as {@code postgres -c name=value}; {@code fsync=on} turns durability back on. */
  public PostgresImage withSetting(String name, String value) {
    if (!name.matches("[a-z_.]+")) {
      throw new IllegalArgumentException("'" + name + "' is not a PostgreSQL setting name, e.g. max_connections");
    }
    Map<String, String> changed = new LinkedHashMap<>(serverSettings);
    changed.put(name, Objects.requireNonNull(value, "value"));
    return new PostgresImage(image, settings, changed);
  }

  /** Initialises every container's database itself instead of starting from a snapshot of an equal one's. */
  public PostgresImage withoutSnapshot() {
    return new PostgresImage(image, settings.withoutSnapshot(), serverSettings);
  }

  /** Whether containers start from a snapshot of an equal definition's initialised database (the default). */
  public boolean snapshot() {
    return settings.snapshot();
  }

  public String image() {
    return image;
  }

  public String databaseName() {
    return settings.databaseName();
  }

  public String username() {
    return settings.username();
  }

  public String password() {
    return settings.password();
  }

  public List<String> initScripts() {
    return settings.initScripts();
  }

  /** The server settings passed as {@code -c name=value}, the defaults included. */
  public Map<String, String> serverSettings() {
    return serverSettings;
  }

  @Override
  public ContainerSpec.Builder specBuilder() {
    if (databaseName().isEmpty() || username().isEmpty() || password().isEmpty()) {
      throw new IllegalArgumentException(image + " needs a database name, a user name and a password (the entrypoint"
          + " refuses to start without a password); one is empty");
    }
    List<String> command = new ArrayList<>(List.of("postgres"));
    serverSettings.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
    ContainerSpec.Builder spec = ContainerSpec.builder(image)
        .exposedPorts(PORT)
        .env("POSTGRES_DB", databaseName())
        .env("POSTGRES_USER", username())
        .env("POSTGRES_PASSWORD", password())
        .command(command.toArray(String[]::new))
        .waitingFor(Wait.allOf(
            Wait.forLogMessage("database system is ready to accept connections|Skipping initialization", 2),
            Wait.forListeningPorts(PORT)))
        .snapshot(snapshot());
    ClasspathFiles.copy(spec, initScripts(), ClasspathFiles.INIT_DIRECTORY, "");
    return spec;
  }

  @Override
  public Class<PostgresDatabase> handleType() {
    return PostgresDatabase.class;
  }

  @Override
  public PostgresDatabase handle(Container container) {
    return new PostgresDatabase(container, databaseName(), username(), password());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PostgresImage p && p.image.equals(image) && p.settings.equals(settings)
        && p.serverSettings.equals(serverSettings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, settings, serverSettings);
  }

  @Override
  public String toString() {
    return "PostgresImage[" + image + ", " + settings + ", " + serverSettings + "]";
  }
}
