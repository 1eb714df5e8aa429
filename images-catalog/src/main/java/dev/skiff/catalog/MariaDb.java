package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.util.List;
import java.util.Objects;

/**
 * MariaDB from the official {@code mariadb} image: {@code MARIADB_DATABASE}, {@code MARIADB_USER}, {@code
 * MARIADB_PASSWORD}, {@code MARIADB_ROOT_PASSWORD}; init scripts ({@code .sql}, {@code .sql.gz}, {@code .sh}) run once at first start from
 * {@code /docker-entrypoint-initdb.d}; {@code my.cnf} overrides in {@code /etc/mysql/conf.d}. Ready when port 3306
 * listens, which the entrypoint's set-up server never does. Database, user and passwords default to {@code test}.
 *
 * <pre>{@code
 * MariaDb mariadb = MariaDb.version("10.11").withDatabaseName("shop").withInitScript("db/schema.sql");
 * }</pre>
 */
public final class MariaDb implements ContainerDefinition<MariaDbDatabase> {
  private final String image;
  private final DatabaseSettings settings;

  private MariaDb(String image, DatabaseSettings settings) {
    this.image = Objects.requireNonNull(image, "image");
    this.settings = settings;
  }

  /** {@code mariadb:VERSION}, e.g. {@code 10.11}. */
  public static MariaDb version(String version) {
    return ofImage("mariadb:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static MariaDb ofImage(String image) {
    return new MariaDb(image, DatabaseSettings.DEFAULTS);
  }

  public MariaDb withDatabaseName(String databaseName) {
    return new MariaDb(image, settings.withDatabaseName(databaseName));
  }

  /** The user created with all rights on the database; {@code root} uses the {@linkplain #withPassword password}. */
  public MariaDb withUsername(String username) {
    return new MariaDb(image, settings.withUsername(username));
  }

  public MariaDb withPassword(String password) {
    return new MariaDb(image, settings.withPassword(password));
  }

  /** Root's password; empty allows root without one. */
  public MariaDb withRootPassword(String rootPassword) {
    return new MariaDb(image, settings.withRootPassword(rootPassword));
  }

  /** Adds a class-path resource ({@code db/schema.sql}) run at first start, after those added before. */
  public MariaDb withInitScript(String resource) {
    return new MariaDb(image, settings.withInitScript(resource));
  }

  /** Adds a class-path resource in {@code my.cnf} syntax ({@code [mysqld]} ...) to the server's configuration. */
  public MariaDb withConfigFile(String resource) {
    return new MariaDb(image, settings.withConfigFile(resource));
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
    return o instanceof MariaDb m && m.image.equals(image) && m.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, settings);
  }

  @Override
  public String toString() {
    return "MariaDb[" + image + ", " + settings + "]";
  }
}
