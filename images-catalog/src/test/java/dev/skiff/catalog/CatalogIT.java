package dev.skiff.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.image.ImageNameSubstitution;
import dev.skiff.engine.runtime.ExecResult;
import dev.skiff.engine.testing.TestEnvironment;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each definition against its real image from the test registry: the JDBC URL connects, init scripts ran. */
class CatalogIT {
  private static Engine engine;

  @BeforeAll
  static void engine() throws Exception {
    engine = Engine.create(EngineConfig.builder()
        .store(Path.of(System.getProperty("skiff.store", "target/skiff-store")))
        // The test registry stands in for Docker Hub. It has no MySQL image (Debian ships MariaDB only): mysql:*
        // runs its MariaDB image, which keeps the official mysql image's MYSQL_* contract.
        .substitution(ImageNameSubstitution.of(Map.of("mysql", "mariadb:10.11"),
            Map.of("docker.io", TestEnvironment.registry())))
        .build());
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void mysqlDefinitionServesJdbcWithInitScriptsAndConfig() throws Exception {
    MySqlImage mysql = MySqlImage.version("8.0").withDatabaseName("shop").withUsername("app").withPassword("pw")
        .withInitScript("catalog-it/schema.sql").withInitScript("catalog-it/more.sql")
        .withConfigFile("catalog-it/mysql.cnf");
    try (MySqlDatabase db = mysql.start(engine)) {
      assertThat(db.jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:" + db.port() + "/shop");
      // The MariaDB driver takes jdbc:mysql: URLs when told to.
      assertThat(greetings(db.jdbcUrl() + "?permitMysqlScheme", db.username(), db.password()))
          .containsExactly("hello from the init script", "second script ran after the first");
      assertThat(db.runSql("SELECT @@max_connections").stdout().trim()).isEqualTo("37");
      assertThat(rows("jdbc:mariadb://127.0.0.1:" + db.port() + "/shop", "root", db.rootPassword(),
          "SELECT CURRENT_USER()")).containsExactly("root@%");
    }
  }

  @Test
  void mariadbDefinitionServesJdbcWithInitScripts() throws Exception {
    try (MariaDbDatabase db = MariaDbImage.version("10.11").withInitScript("catalog-it/schema.sql").start(engine)) {
      assertThat(db.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:" + db.port() + "/test");
      assertThat(greetings(db.jdbcUrl(), db.username(), db.password())).containsExactly("hello from the init script");
      ExecResult failing = db.runSql("SELECT * FROM no_such_table");
      assertThat(failing.exitCode()).isNotZero();
      assertThat(failing.stderr()).contains("no_such_table");
    }
  }

  @Test
  void postgresDefinitionServesJdbcWithInitScriptsAndSettings() throws Exception {
    PostgresImage postgres = PostgresImage.version("15").withDatabaseName("shop").withUsername("app")
        .withPassword("pw").withInitScript("catalog-it/schema.sql").withInitScript("catalog-it/more.sql");
    try (PostgresDatabase db = postgres.start(engine)) {
      assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + db.port() + "/shop");
      assertThat(greetings(db.jdbcUrl(), db.username(), db.password()))
          .containsExactly("hello from the init script", "second script ran after the first");
      assertThat(rows(db.jdbcUrl(), db.username(), db.password(), "SHOW fsync")).containsExactly("off");
      assertThat(db.runSql("SELECT count(*) FROM greeting").stdout().trim()).isEqualTo("2");
    }
  }

  @Test
  void postgresStartsFromTheSnapshotOfAnEqualDefinitionWithAPrivateDatabase() throws Exception {
    // A database name of its own: this run builds the snapshot, whatever earlier runs left in the store.
    PostgresImage postgres = PostgresImage.version("15").withDatabaseName("snap_" + System.nanoTime())
        .withInitScript("catalog-it/schema.sql");
    try (PostgresDatabase first = postgres.start(engine); PostgresDatabase second = postgres.start(engine)) {
      for (PostgresDatabase db : List.of(first, second)) {
        assertThat(db.container().logs().stdout()).contains("Skipping initialization")
            .doesNotContain("init process complete");
      }
      assertThat(first.runSql("INSERT INTO greeting VALUES (2, 'only in the first')").exitCode()).isZero();
      assertThat(greetings(first.jdbcUrl(), first.username(), first.password()))
          .containsExactly("hello from the init script", "only in the first");
      assertThat(greetings(second.jdbcUrl(), second.username(), second.password()))
          .containsExactly("hello from the init script");
    }
    try (PostgresDatabase own = postgres.withoutSnapshot().start(engine)) {
      assertThat(own.container().logs().stdout()).contains("init process complete");
      assertThat(greetings(own.jdbcUrl(), own.username(), own.password()))
          .containsExactly("hello from the init script");
    }
  }

  @Test
  void mariadbStartsFromTheSnapshotOfAnEqualDefinitionWithAPrivateDatabase() throws Exception {
    MariaDbImage mariadb = MariaDbImage.version("10.11").withDatabaseName("snap_" + System.nanoTime())
        .withInitScript("catalog-it/schema.sql");
    try (MariaDbDatabase first = mariadb.start(engine); MariaDbDatabase second = mariadb.start(engine)) {
      for (MariaDbDatabase db : List.of(first, second)) {
        assertThat(db.container().logs().stdout() + db.container().logs().stderr())
            .doesNotContain("Initializing database files");
      }
      assertThat(first.runSql("INSERT INTO greeting VALUES (2, 'only in the first')").exitCode()).isZero();
      assertThat(greetings(first.jdbcUrl(), first.username(), first.password()))
          .containsExactly("hello from the init script", "only in the first");
      assertThat(greetings(second.jdbcUrl(), second.username(), second.password()))
          .containsExactly("hello from the init script");
    }
  }

  @Test
  void redisAnswersOnItsUriAndThroughTheCli() throws Exception {
    try (RedisServer redis = RedisImage.version("7.0").withPassword("s3cret").start(engine)) {
      URI uri = new URI(redis.redisUri());
      assertThat(uri.getPort()).isEqualTo(redis.port());
      assertThat(uri.getUserInfo()).isEqualTo(":s3cret");
      assertThat(redis.cli("SET", "greeting", "hi").stdout().trim()).isEqualTo("OK");
      assertThat(redis.cli("GET", "greeting").stdout().trim()).isEqualTo("hi");
      assertThat(Resp.command(redis.host(), redis.port(), "AUTH", "s3cret")).isEqualTo("+OK");
      assertThat(Resp.command(redis.host(), redis.port(), "PING")).startsWith("-NOAUTH");
    }
  }

  @Test
  void nodeRunsScriptsOfTheCopiedProject() throws Exception {
    Path project = Path.of(getClass().getResource("/catalog-it/node").toURI());
    try (NodeRuntime node = NodeImage.version("20").withProjectCopied(project).start(engine)) {
      assertThat(node.version()).startsWith("v20.");
      ExecResult sum = node.run("sum.js", "1", "2", "39");
      assertThat(sum.exitCode()).isZero();
      assertThat(sum.stdout()).isEqualTo("42\n");
      ExecResult bad = node.run("sum.js", "x");
      assertThat(bad.exitCode()).isEqualTo(3);
      assertThat(bad.stderr()).contains("not a number: x");
      assertThat(node.eval("console.log(process.cwd())").stdout()).isEqualTo("/app\n");
    }
  }

  private static List<String> greetings(String url, String user, String password) throws SQLException {
    return rows(url, user, password, "SELECT text FROM greeting ORDER BY id");
  }

  private static List<String> rows(String url, String user, String password, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery(query)) {
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(r.getString(1));
      }
      return rows;
    }
  }
}
