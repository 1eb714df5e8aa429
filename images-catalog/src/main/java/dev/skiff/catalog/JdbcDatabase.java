package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecResult;
import dev.skiff.engine.runtime.ExecSpec;
import java.io.IOException;

/**
 * A started database container: where to connect ({@link #jdbcUrl()}) and as whom. Closing it removes the container.
 * Inject the concrete type ({@link MySqlDatabase}, {@link MariaDbDatabase}, {@link PostgresDatabase}) or this one.
 */
public abstract sealed class JdbcDatabase implements AutoCloseable
    permits MySqlDatabase, MariaDbDatabase, PostgresDatabase {
  private final Container container;
  private final String scheme;
  private final int containerPort;
  private final String databaseName;
  private final String username;
  private final String password;

  JdbcDatabase(Container container, String scheme, int containerPort, String databaseName, String username,
      String password) {
    this.container = container;
    this.scheme = scheme;
    this.containerPort = containerPort;
    this.databaseName = databaseName;
    this.username = username;
    this.password = password;
  }

  /** E.g. {@code jdbc:postgresql://127.0.0.1:41234/test}: the published port on the host's loopback. */
  public final String jdbcUrl() {
    return "jdbc:" + scheme + "://" + host() + ":" + port() + "/" + databaseName;
  }

  /** The database the URL names, created by the image's entrypoint. */
  public final String databaseName() {
    return databaseName;
  }

  public final String username() {
    return username;
  }

  public final String password() {
    return password;
  }

  /** The host to connect to, {@code 127.0.0.1}. */
  public final String host() {
    return container.host();
  }

  /** The host port the database's port is published on. */
  public final int port() {
    return container.mappedPort(containerPort);
  }

  /** The container, for its logs, exec and files. */
  public final Container container() {
    return container;
  }

  /**
   * Runs {@code sql} with the image's own command-line client as {@link #username()} in {@link #databaseName()},
   * inside the container: no JDBC driver needed. Query results are on stdout, one row a line, columns tab-separated,
   * without headers; a failing statement gives a non-zero exit code and the error on stderr.
   */
  public final ExecResult runSql(String sql) throws IOException, InterruptedException {
    return container.exec(sqlClient(sql));
  }

  /** The image's client, run over TCP inside the container so that the same authentication as JDBC applies. */
  abstract ExecSpec sqlClient(String sql);

  /** Removes the container. */
  @Override
  public final void close() throws IOException {
    container.remove();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + " " + jdbcUrl() + " as " + username + " (" + container + ")";
  }
}
