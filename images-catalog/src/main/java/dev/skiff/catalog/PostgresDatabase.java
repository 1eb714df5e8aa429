package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecSpec;

/** A started {@link PostgresImage} container; {@link #jdbcUrl()} is {@code jdbc:postgresql://127.0.0.1:PORT/DB}. */
public final class PostgresDatabase extends JdbcDatabase {
  PostgresDatabase(Container container, String databaseName, String username, String password) {
    super(container, "postgresql", PostgresImage.PORT, databaseName, username, password);
  }

  @Override
  ExecSpec sqlClient(String sql) {
    return ExecSpec.builder("psql", "-h", "127.0.0.1", "-U", username(), "-d", databaseName(), "-X", "-q", "-A", "-t",
            "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql)
        .env("PGPASSWORD", password())
        .build();
  }
}
