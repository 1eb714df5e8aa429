package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;

/**
 * MySQL from the official {@code mysql} image: {@code MYSQL_DATABASE}, {@code MYSQL_USER}, {@code MYSQL_PASSWORD},
 * {@code MYSQL_ROOT_PASSWORD}; init scripts ({@code .sql}, {@code .sql.gz}, {@code .sh}) run once at first start from
 * {@code /docker-entrypoint-initdb.d}; {@code my.cnf} overrides in {@code /etc/mysql/conf.d}. Containers start from a
 * {@linkplain dev.skiff.engine.runtime.ContainerSpec.Builder#snapshot snapshot} of an equal definition's initialised
 * database ({@link #withoutSnapshot()} to initialise each). Ready when port 3306 listens (which the entrypoint's
 * set-up server never does) and the server says so. Database, user and passwords default to {@code test}.
 *
 * <pre>{@code
 * MySqlImage mysql = MySqlImage.version("8.0").withDatabaseName("shop").withInitScript("db/schema.sql");
 * }</pre>
 */
public final class MySqlImage extends MySqlFamilyImage<MySqlImage, MySqlDatabase> {
  private MySqlImage(String image, DatabaseSettings settings) {
    super(image, settings);
  }

  /** {@code mysql:VERSION}, e.g. {@code 8.0}. */
  public static MySqlImage version(String version) {
    return ofImage("mysql:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static MySqlImage ofImage(String image) {
    return new MySqlImage(image, DatabaseSettings.DEFAULTS);
  }

  @Override
  MySqlImage with(DatabaseSettings settings) {
    return new MySqlImage(image(), settings);
  }

  @Override
  String variablePrefix() {
    return "MYSQL_";
  }

  @Override
  String allowEmptyRootVariable() {
    return "MYSQL_ALLOW_EMPTY_PASSWORD";
  }

  @Override
  public Class<MySqlDatabase> handleType() {
    return MySqlDatabase.class;
  }

  @Override
  public MySqlDatabase handle(Container container) {
    return new MySqlDatabase(container, databaseName(), username(), password(), rootPassword());
  }
}
