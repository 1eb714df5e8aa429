package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.util.List;
import java.util.Objects;

/**
 * MySQL from the official {@code mysql} image: {@code MYSQL_DATABASE}, {@code MYSQL_USER}, {@code MYSQL_PASSWORD},
 * {@code MYSQL_ROOT_PASSWORD}; init scripts ({@code .sql}, {@code .sql.gz}, {@code .sh}) run once at first start from
 * {@code /docker-entrypoint-initdb.d}; {@code my.cnf} overrides in {@code /etc/mysql/conf.d}. Ready when port 3306
 * listens, which the entrypoint's set-up server never does. Database, user and passwords default to {@code test}.
 *
 * <pre>{@code
 * MySqlImage mysql = MySqlImage.version("8.0").withDatabaseName("shop").withInitScript("db/schema.sql");
 * }</pre>
 */
public final class MySqlImage implements ContainerDefinition<MySqlDatabase> {
  private final String image;
  private final DatabaseSettings settings;

  private MySqlImage(String image, DatabaseSettings settings) {
    this.image = Objects.requireNonNull(image, "image");
    this.settings = settings;
  }

  /** {@code mysql:VERSION}, e.g. {@code 8.0}. */
  public static MySqlImage version(String version) {
    return ofImage("mysql:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static MySqlImage ofImage(String image) {
    return new MySqlImage(image, DatabaseSettings.DEFAULTS);
  }

  public MySqlImage withDatabaseName(String databaseName) {
    return new MySqlImage(image, settings.withDatabaseName(databaseName));
  }

  /** The user created with all rights on the database; {@code root} uses the {@linkplain #withPassword password}. */
  public MySqlImage withUsername(String username) {
    return new MySqlImage(image, settings.withUsername(username));
  }

  public MySqlImage withPassword(String password) {
    return new MySqlImage(image, settings.withPassword(password));
  }

  /** Root's password; empty allows root without one. */
  public MySqlImage withRootPassword(String rootPassword) {
    return new MySqlImage(image, settings.withRootPassword(rootPassword));
  }

  /** Adds a class-path resource ({@code db/schema.sql}) run at first start, after those added before. */
  public MySqlImage withInitScript(String resource) {
    return new MySqlImage(image, settings.withInitScript(resource));
  }

  /** Adds a class-path resource in {@code my.cnf} syntax ({@code [mysqld]} ...) to the server's configuration. */
  public MySqlImage withConfigFile(String resource) {
    return new MySqlImage(image, settings.withConfigFile(resource));
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
    return MySqlFamily.spec(image, "MYSQL_", "MYSQL_ALLOW_EMPTY_PASSWORD", settings);
  }

  @Override
  public Class<MySqlDatabase> handleType() {
    return MySqlDatabase.class;
  }

  @Override
  public MySqlDatabase handle(Container container) {
    return new MySqlDatabase(container, databaseName(), username(), password(), rootPassword());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MySqlImage m && m.image.equals(image) && m.settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, settings);
  }

  @Override
  public String toString() {
    return "MySqlImage[" + image + ", " + settings + "]";
  }
}
