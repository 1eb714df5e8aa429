package dev.skiff.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.runtime.PortBinding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The specs the definitions make: the official images' variables, ports, commands and waits. */
class DefinitionsTest {
  @Test
  void mysqlUsesTheOfficialVariablesAndPublishes3306() {
    ContainerSpec spec = MySqlImage.version("8.0").withDatabaseName("shop").withUsername("app")
        .withPassword("pw").withRootPassword("rootpw").spec();

    assertThat(spec.image()).isEqualTo("mysql:8.0");
    assertThat(spec.env()).containsEntry("MYSQL_DATABASE", "shop").containsEntry("MYSQL_USER", "app")
        .containsEntry("MYSQL_PASSWORD", "pw").containsEntry("MYSQL_ROOT_PASSWORD", "rootpw")
        .doesNotContainKey("MARIADB_USER");
    assertThat(spec.ports()).containsExactly(PortBinding.tcp(3306));
    assertThat(spec.waitStrategy()).isPresent();
  }

  @Test
  void mariadbUsesItsOwnPrefix() {
    ContainerSpec spec = MariaDbImage.version("10.11").spec();

    assertThat(spec.image()).isEqualTo("mariadb:10.11");
    assertThat(spec.env()).containsEntry("MARIADB_DATABASE", "test").containsEntry("MARIADB_USER", "test")
        .containsEntry("MARIADB_PASSWORD", "test").containsEntry("MARIADB_ROOT_PASSWORD", "test")
        .doesNotContainKey("MYSQL_USER");
  }

  @Test
  void asRootTheEntrypointCreatesNoUserAndRootTakesThePassword() {
    MySqlImage root = MySqlImage.version("8.0").withUsername("root").withPassword("secret");

    assertThat(root.rootPassword()).isEqualTo("secret");
    assertThat(root.spec().env()).containsEntry("MYSQL_ROOT_PASSWORD", "secret").doesNotContainKey("MYSQL_USER");
    assertThat(MariaDbImage.version("10.11").withRootPassword("").spec().env())
        .containsEntry("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "yes").doesNotContainKey("MARIADB_ROOT_PASSWORD");
  }

  @Test
  void postgresRunsWithDurabilityOffAndTheSettingsGiven() {
    ContainerSpec spec = PostgresImage.version("15").withUsername("app").withSetting("max_connections", "20")
        .withSetting("fsync", "on").spec();

    assertThat(spec.image()).isEqualTo("postgres:15");
    assertThat(spec.env()).containsEntry("POSTGRES_USER", "app").containsEntry("POSTGRES_DB", "test")
        .containsEntry("POSTGRES_PASSWORD", "test");
    assertThat(spec.command()).hasValueSatisfying(c -> assertThat(c).containsExactly("postgres",
        "-c", "fsync=on", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=20"));
    assertThat(spec.ports()).containsExactly(PortBinding.tcp(5432));
  }

  @Test
  void redisRequiresThePasswordOnlyWhenGiven() {
    assertThat(RedisImage.version("7.0").spec().command()).isEmpty();
    assertThat(RedisImage.version("7.0").withPassword("pw").spec().command())
        .hasValueSatisfying(c -> assertThat(c).containsExactly("redis-server", "--requirepass", "pw"));
    assertThat(RedisImage.version("7.0").spec().ports()).containsExactly(PortBinding.tcp(6379));
  }

  @Test
  void nodeIdlesInItsProjectDirectory(@TempDir Path project) {
    ContainerSpec copied = NodeImage.version("20").withProjectCopied(project).withEnv("NODE_ENV", "test").spec();
    ContainerSpec bound = NodeImage.version("20").withProjectBound(project).spec();

    assertThat(copied.image()).isEqualTo("node:20");
    assertThat(copied.workingDir()).hasValue(NodeImage.PROJECT_DIRECTORY);
    assertThat(copied.env()).containsEntry("NODE_ENV", "test");
    assertThat(copied.mounts()).isEmpty();
    assertThat(bound.mounts()).singleElement().satisfies(m -> {
      assertThat(m.source()).hasValue(project.toAbsolutePath());
      assertThat(m.target()).isEqualTo(NodeImage.PROJECT_DIRECTORY);
    });
  }

  @Test
  void definitionsAreValues() {
    assertThat(PostgresImage.version("15").withInitScript("a.sql"))
        .isEqualTo(PostgresImage.version("15").withInitScript("a.sql"))
        .hasSameHashCodeAs(PostgresImage.version("15").withInitScript("a.sql"))
        .isNotEqualTo(PostgresImage.version("15").withInitScript("b.sql"));
    assertThat(MySqlImage.version("8.0")).isNotEqualTo(MySqlImage.version("8.4"));
  }

  @Test
  void mistakesAreNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> PostgresImage.version("15").withInitScript("no/such/script.sql").spec())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no/such/script.sql");
    assertThatThrownBy(() -> MySqlImage.version("8.0").withPassword("").spec())
        .hasMessageContaining("user 'test' needs a password");
    assertThatThrownBy(() -> PostgresImage.version("15").withPassword("").spec())
        .hasMessageContaining("refuses to start without a password");
    assertThatThrownBy(() -> NodeImage.version("20").withProjectCopied(dir.resolve("missing")))
        .hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> PostgresImage.version("15").withSetting("max connections", "1"))
        .hasMessageContaining("not a PostgreSQL setting name");
  }
}
