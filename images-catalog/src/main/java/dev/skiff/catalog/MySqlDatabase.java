package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecSpec;

/** A started {@link MySqlImage} container; {@link #jdbcUrl()} is {@code jdbc:mysql://127.0.0.1:PORT/DATABASE}. */
public final class MySqlDatabase extends JdbcDatabase {
  private final String rootPassword;

  MySqlDatabase(Container container, String databaseName, String username, String password, String rootPassword) {
    super(container, "mysql", MySqlFamily.PORT, databaseName, username, password);
    this.rootPassword = rootPassword;
  }

  /** The password of {@code root}, who may do anything. */
  public String rootPassword() {
    return rootPassword;
  }

  @Override
  ExecSpec sqlClient(String sql) {
    return MySqlFamily.client("mysql", this, sql);
  }
}
