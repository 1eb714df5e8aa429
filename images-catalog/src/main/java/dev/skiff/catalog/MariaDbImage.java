package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.util.List;
import java.util.Objects;

/**
 * MariaDB from the official {@code mariadb} image: {@code MARIADB_DATABASE}, {@code MARIADB_USER}, {@code
 * MARIADB_PASSWORD}, {@code MARIADB_ROOT_PASSWORD}; init scripts ({@code .sql}, {@code .sql.gz}, {@code .sh}) run
 * once at first start from {@code /docker-entrypoint-initdb.d}; {@code my.cnf} overrides in {@code /etc/mysql/conf.d}.
 * Ready when port 3306 listens, which the entrypoint's set-up server never does. Database, user and passwords default
 * to {@code test}.
 *
 * <pre>{@code
 * MariaDbImage mariadb = MariaDbImage.version("10.11").withDatabaseName("shop").withInitScript("db/schema.sql");
 * }</pre>
 */
public final class MariaDbImage implements ContainerDefinition<MariaDbDatabase> {
  private final String image;
  private final DatabaseSettings settings;

  private MariaDbImage(String image, DatabaseSettings settings) {
    this.image = Objects.requireNonNull(image, "image");
    this.settings = settings;
  }

  /** {@code mariadb:VERSION}, e.g. {@code 10.11}. */
  public static MariaDbImage version(String version) {
    return ofImage("mariadb:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static MariaDbImage ofImage(String image) {
    return new MariaDbImage(image, DatabaseSettings.DEFAULTS);
  }

  public MariaDbImage withDatabaseName(String databaseName) {
    return new MariaDbImage(image, settings.withDatabaseName(databaseName));
  }

  /** The user created with all rights on the database; {@code root} uses the {@linkplain #withPassword password}. */
  public MariaDbImage withUsername(String username) {
    return new MariaDbImage(image, settings.withUsername(username));
  }

  public MariaDbImage withPassword(String password) {
    return new MariaDbImage(image, settings.withPassword(password));
  }

  /** Root's password; empty allows root without one. */
  public MariaDbImage withRootPassword(String rootPassword) {
    return new MariaDbImage(image, settings.withRootPassword(rootPassword));
  }

  /** Adds a class-path resource ({@code db/schema.sql}) run at first start, after those added before. */
  public MariaDbImage withInitScript(String resource) {
    return new MariaDbImage(image, settings.withInitScript(resource));
  }

  /** Adds a class-path resource in {@code my.cnf} syntax ({@code [mysqld]} ...) to the server's configuration. */
  public MariaDbImage withConfigFile(String resource) {
    return new MariaDbImage(image, settings.withConfigFile(resource));
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

  public String rootPassword() {
    return MySqlFamily.rootPassword(settings);
  }

  public List<String> initScripts() {
    return settings.initScripts();
  }

  public List<String> configFiles() {
    return settings.configFiles();
  }

  @Override
  public ContainerSpec.Builder specBuilder() {
    MySqlFamily.checkCredentials(image, settings);
    return MySqlFamily.spec(image, "MARIADB_", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", settings);
  }

  @Override
  public Class<MariaDbDatabase> handleType() {
    return MariaDbDatabase.class;
  }

  @Override
  public MariaDbDatabase handle(Container container) {
    return new MariaDbDatabase(container, databaseName(), username(), password(), rootPassword());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MariaDbImage m && m.image.equals(image) && m.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, settings);
  }

  @Override
  public String toString() {
    return "MariaDbImage[" + image + ", " + settings + "]";
  }
}
