package dev.skiff.catalog;

import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.runtime.ExecSpec;
import dev.skiff.engine.wait.Wait;
import java.time.Duration;

/**
 * What the official {@code mysql} and {@code mariadb} images have in common: the same entrypoint contract under
 * another variable prefix, init scripts, conf.d overrides, port 3306.
 */
final class MySqlFamily {
  static final int PORT = 3306;
  /** Read by both images' default my.cnf ({@code !includedir}); only {@code *.cnf} files count. */
  static final String CONFIG_DIRECTORY = "/etc/mysql/conf.d";

  private MySqlFamily() {}

  /**
   * The spec for {@code image} with variables named {@code prefix} + DATABASE, USER, ... ({@code MYSQL_} or {@code
   * MARIADB_}); {@code allowEmptyRoot} is the variable that permits an empty root password.
   */
  static ContainerSpec.Builder spec(String image, String prefix, String allowEmptyRoot, DatabaseSettings settings) {
    ContainerSpec.Builder spec = ContainerSpec.builder(image)
        .exposedPorts(PORT)
        .env(prefix + "DATABASE", settings.databaseName())
        // The entrypoint's temporary server skips networking ("port: 0"), so the port listens only once set-up is
        // over; the server's "ready for connections ... port: 3306" line comes after its signal handling is set up,
        // which a snapshot's seed needs to shut down cleanly when stopped.
        .waitingFor(Wait.allOf(Wait.forListeningPorts(PORT), Wait.forLogMessage("port: " + PORT + "\\b", 1)))
        .startupTimeout(Duration.ofMinutes(2)) // first start initialises the data directory
        .snapshot(settings.snapshot());
    String root = rootPassword(settings);
    if (root.isEmpty()) {
      spec.env(allowEmptyRoot, "yes");
    } else {
      spec.env(prefix + "ROOT_PASSWORD", root);
    }
    if (!settings.username().equals("root")) { // the entrypoint refuses to create root a second time
      spec.env(prefix + "USER", settings.username()).env(prefix + "PASSWORD", settings.password());
    }
    ClasspathFiles.copy(spec, settings.initScripts(), ClasspathFiles.INIT_DIRECTORY, "");
    ClasspathFiles.copy(spec, settings.configFiles(), CONFIG_DIRECTORY, ".cnf");
    return spec;
  }

  /** As user root, the password is root's: the entrypoint knows no other root. */
  static String rootPassword(DatabaseSettings settings) {
    return settings.username().equals("root") ? settings.password() : settings.rootPassword();
  }

  static void checkCredentials(String image, DatabaseSettings settings) {
    String username = settings.username();
    if (settings.databaseName().isEmpty() || username.isEmpty()) {
      throw new IllegalArgumentException(image + " needs a database name and a user name; one is empty");
    }
    if (!username.equals("root") && settings.password().isEmpty()) {
      throw new IllegalArgumentException(image + ": user '" + username + "' needs a password (the entrypoint does not"
          + " create a user without one)");
    }
  }

  /** The {@code mysql}/{@code mariadb} client over TCP, password from the environment (not the command line). */
  static ExecSpec client(String program, JdbcDatabase db, String sql) {
    return ExecSpec.builder(program, "--protocol=TCP", "-h", "127.0.0.1", "-P", Integer.toString(PORT),
            "-u", db.username(), "--batch", "--skip-column-names", "-D", db.databaseName(), "-e", sql)
        .env("MYSQL_PWD", db.password())
        .build();
  }
}
