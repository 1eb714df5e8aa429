package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecSpec;

/** A started {@link MariaDbImage} container; {@link #jdbcUrl()} is {@code jdbc:mariadb://127.0.0.1:PORT/DATABASE}. */
public final class MariaDbDatabase extends JdbcDatabase {
  private final String rootPassword;

  MariaDbDatabase(Container container, String databaseName, String username, String password, String rootPassword) {
    super(container, "mariadb", MySqlFamily.PORT, databaseName, username, password);
    this.rootPassword = rootPassword;
  }

  /** The password of {@code root}, who may do anything. */
  public String rootPassword() {
    return rootPassword;
  }

  @Override
  ExecSpec sqlClient(String sql) {
    return MySqlFamily.client("mariadb", this, sql); // MariaDB 11 images no longer ship the mysql name
  }
}
