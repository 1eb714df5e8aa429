package dev.skiff.catalog;

import java.util.List;
import java.util.Objects;

/**
 * The settings every database definition has: what to create, as whom, which scripts and files to add, and whether
 * to start from a snapshot of an equal definition's initialised database.
 */
record DatabaseSettings(String databaseName, String username, String password, String rootPassword,
    List<String> initScripts, List<String> configFiles, boolean snapshot) {
  /** The defaults of every catalog database: database, user and passwords all {@code test}, as Testcontainers has. */
  static final DatabaseSettings DEFAULTS = new DatabaseSettings("test", "test", "test", "test", List.of(), List.of(),
      true);

  DatabaseSettings {
    Objects.requireNonNull(databaseName, "databaseName");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(rootPassword, "rootPassword");
    initScripts = ClasspathFiles.check("init scripts", initScripts);
    configFiles = ClasspathFiles.check("configuration files", configFiles);
  }

  DatabaseSettings withDatabaseName(String name) {
    return new DatabaseSettings(name, username, password, rootPassword, initScripts, configFiles, snapshot);
  }

  DatabaseSettings withUsername(String name) {
    return new DatabaseSettings(databaseName, name, password, rootPassword, initScripts, configFiles, snapshot);
  }

  DatabaseSettings withPassword(String secret) {
    return new DatabaseSettings(databaseName, username, secret, rootPassword, initScripts, configFiles, snapshot);
  }

  DatabaseSettings withRootPassword(String secret) {
    return new DatabaseSettings(databaseName, username, password, secret, initScripts, configFiles, snapshot);
  }

  DatabaseSettings withInitScripts(String... resources) {
    return new DatabaseSettings(databaseName, username, password, rootPassword,
        ClasspathFiles.plus(initScripts, resources), configFiles, snapshot);
  }

  DatabaseSettings withConfigFiles(String... resources) {
    return new DatabaseSettings(databaseName, username, password, rootPassword, initScripts,
        ClasspathFiles.plus(configFiles, resources), snapshot);
  }

  DatabaseSettings withoutSnapshot() {
    return new DatabaseSettings(databaseName, username, password, rootPassword, initScripts, configFiles, false);
  }
}
