package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;

/**
 * MariaDB from the official {@code mariadb} image: {@code MARIADB_DATABASE}, {@code MARIADB_USER}, {@code
 * MARIADB_PASSWORD}, {@code MARIADB_ROOT_PASSWORD}; init scripts ({@code .sql}, {@code .sql.gz}, {@code .sh}) run
 * once at first start from {@code /docker-entrypoint-initdb.d}; {@code my.cnf} overrides in {@code
 * /etc/mysql/conf.d}. Containers start from a {@linkplain dev.skiff.engine.runtime.ContainerSpec.Builder#snapshot
 * snapshot} of an equal definition's initialised database ({@link #withoutSnapshot()} to initialise each). Ready when
 * port 3306 listens (which the entrypoint's set-up server never does) and the server says so. Database, user and
 * passwords default to {@code test}.
 *
 * <pre>{@code
 * MariaDbImage mariadb = MariaDbImage.version("10.11").withDatabaseName("shop").withInitScript("db/schema.sql");
 * }</pre>
 */
public final class MariaDbImage extends MySqlFamilyImage<MariaDbImage, MariaDbDatabase> {
  private MariaDbImage(String image, DatabaseSettings settings) {
    super(image, settings);
  }

  /** {@code mariadb:VERSION}, e.g. {@code 10.11}. */
  public static MariaDbImage version(String version) {
    return ofImage("mariadb:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static MariaDbImage ofImage(String image) {
    return new MariaDbImage(image, DatabaseSettings.DEFAULTS);
  }

  @Override
  MariaDbImage with(DatabaseSettings settings) {
    return new MariaDbImage(image(), settings);
  }

  @Override
  String variablePrefix() {
    return "MARIADB_";
  }

  @Override
  String allowEmptyRootVariable() {
    return "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD";
  }

  @Override
  public Class<MariaDbDatabase> handleType() {
    return MariaDbDatabase.class;
  }

  @Override
  public MariaDbDatabase handle(Container container) {
    return new MariaDbDatabase(container, databaseName(), username(), password(), rootPassword());
  }
}
