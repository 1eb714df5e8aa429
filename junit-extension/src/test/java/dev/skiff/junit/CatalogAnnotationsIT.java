package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.catalog.JdbcDatabase;
import dev.skiff.catalog.NodeRuntime;
import dev.skiff.catalog.RedisServer;
import dev.skiff.engine.runtime.Container;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

/**
 * The catalog annotations' attributes reach the containers they start (the examples module covers the rest:
 * @MySQL, @MariaDB, init scripts, a composed per-suite @Postgres); bad attributes fail naming the fix.
 */
class CatalogAnnotationsIT {
  @Redis(password = "s3cret")
  @Node(env = {"GREETING=hello", "EMPTY="})
  static class RedisAndNode {
    @Test
    void attributesApply(RedisServer redis, NodeRuntime node, @Handle("redis") Container container) throws Exception {
      assertThat(redis.redisUri()).startsWith("redis://:s3cret@127.0.0.1:");
      assertThat(redis.cli("PING").stdout()).isEqualTo("PONG\n");
      assertThat(container.exec("redis-cli", "PING").stdout()).contains("NOAUTH");
      assertThat(node.eval("console.log(process.env.GREETING + '|' + process.env.EMPTY)").stdout())
          .isEqualTo("hello|\n");
    }
  }

  @Test
  void redisPasswordAndNodeEnvironment() {
    assertPasses(RedisAndNode.class);
  }

  @Postgres(databaseName = "shop", settings = {"max_connections=17", "work_mem=8MB"})
  static class PostgresSettings {
    @Test
    void settingsApply(JdbcDatabase db) throws Exception {
      assertThat(db.jdbcUrl()).endsWith("/shop");
      assertThat(db.runSql("SHOW max_connections").stdout()).isEqualTo("17\n");
      assertThat(db.runSql("SHOW work_mem").stdout()).isEqualTo("8MB\n");
      assertThat(db.runSql("SHOW fsync").stdout()).isEqualTo("off\n");
    }
  }

  @Test
  void postgresSettings() {
    assertPasses(PostgresSettings.class);
  }

  @Postgres
  @MariaDB(name = "own", snapshot = false)
  static class Snapshots {
    @Test
    void fromASnapshotByDefault(@Handle("postgres") JdbcDatabase shared, @Handle("own") JdbcDatabase own) {
      assertThat(shared.container().spec().snapshot()).isTrue();
      assertThat(shared.container().logs().stdout()).contains("Skipping initialization");
      assertThat(own.container().spec().snapshot()).isFalse();
      assertThat(own.container().logs().stdout()).contains("MariaDB init process done");
    }
  }

  @Test
  void snapshotsByDefaultAndOffOnRequest() {
    assertPasses(Snapshots.class);
  }

  @Postgres(settings = "max_connections")
  static class SettingWithoutValue {
    @Test void t() {}
  }

  @MySQL(password = "")
  static class UserWithoutPassword {
    @Test void t() {}
  }

  /** Runs {@code sample}'s one test, which must pass; a failure shows the sample's own assertion. */
  private static void assertPasses(Class<?> sample) {
    Events tests = Samples.run(sample).testEvents();
    tests.failed().stream().forEach(e -> {
      throw new AssertionError(sample.getSimpleName() + " failed",
          e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow());
    });
    tests.assertStatistics(s -> s.started(1).succeeded(1));
  }

  @Test
  void badAttributesNameTheAnnotationAndTheFix() {
    assertThat(MisconfigurationIT.failures(SettingWithoutValue.class)).singleElement().asString()
        .contains("@Postgres on " + SettingWithoutValue.class.getName())
        .contains("settings entry 'max_connections' is not NAME=value")
        .contains("settings = \"max_connections=value\"");
    assertThat(MisconfigurationIT.failures(UserWithoutPassword.class)).singleElement().asString()
        .contains("@MySQL(version = \"8.0\") on " + UserWithoutPassword.class.getName())
        .contains("user 'test' needs a password")
        .contains("Fix the declaration");
  }
}
