package dev.skiff.catalog;

import dev.skiff.engine.runtime.ContainerSpec;
import java.util.List;
import java.util.Objects;

/**
 * The settings and spec {@link MySqlImage} and {@link MariaDbImage} share: their images differ only in the variables'
 * prefix. Database, user and passwords default to {@code test}.
 *
 * @param <S> the definition type its {@code with} methods return
 * @param <H> the handle type
 */
abstract class MySqlFamilyImage<S extends MySqlFamilyImage<S, H>, H extends JdbcDatabase>
    implements ContainerDefinition<H> {
  private final String image;
  private final DatabaseSettings settings;

  MySqlFamilyImage(String image, DatabaseSettings settings) {
    this.image = Objects.requireNonNull(image, "image");
    this.settings = settings;
  }

  /** This definition of another image's with {@code settings}. */
  abstract S with(DatabaseSettings settings);

  /** {@code MYSQL_} or {@code MARIADB_}. */
  abstract String variablePrefix();

  /** The variable that permits an empty root password. */
  abstract String allowEmptyRootVariable();

  public S withDatabaseName(String databaseName) {
    return with(settings.withDatabaseName(databaseName));
  }

  /** The user created with all rights on the database; {@code root} uses the {@linkplain #withPassword password}. */
  public S withUsername(String username) {
    return with(settings.withUsername(username));
  }

  public S withPassword(String password) {
    return with(settings.withPassword(password));
  }

  /** Root's password; empty allows root without one. */
  public S withRootPassword(String rootPassword) {
    return with(settings.withRootPassword(rootPassword));
  }

  /** Adds class-path resources ({@code db/schema.sql}) run in order at first start, after those added before. */
  public S withInitScript(String... resources) {
    return with(settings.withInitScripts(resources));
  }

  /** Adds class-path resources in {@code my.cnf} syntax ({@code [mysqld]} ...) to the server's configuration. */
  public S withConfigFile(String... resources) {
    return with(settings.withConfigFiles(resources));
  }

  /** Initialises every container's database itself instead of starting from a snapshot of an equal one's. */
  public S withoutSnapshot() {
    return with(settings.withoutSnapshot());
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
    return MySqlFamily.spec(image, variablePrefix(), allowEmptyRootVariable(), settings);
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((MySqlFamilyImage<?, ?>) o).image.equals(image)
        && ((MySqlFamilyImage<?, ?>) o).settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), image, settings);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + image + ", " + settings + "]";
  }
}
