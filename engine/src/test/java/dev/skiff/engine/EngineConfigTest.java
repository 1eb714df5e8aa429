package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.pull.PullPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
  static EngineConfig from(Map<String, String> sys, Map<String, String> env, Map<String, String> file) {
    Properties p = new Properties();
    p.putAll(file);
    return EngineConfig.fromSources(sys::get, env::get, p);
  }

  @Test
  void systemPropertiesBeatEnvironmentWhichBeatsTheFile() {
    EngineConfig c = from(Map.of("skiff.pull.policy", "never"),
        Map.of("SKIFF_PULL_POLICY", "always", "SKIFF_STORE", "/env/store"),
        Map.of("skiff.pull.policy", "missing", "skiff.store", "/file/store", "skiff.timeout.read", "500ms"));

    assertThat(c.pullPolicy()).isEqualTo(PullPolicy.NEVER);
    assertThat(c.store()).isEqualTo(Path.of("/env/store"));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void mirrorsAndSubstitutionsAreRead() {
    EngineConfig c = from(Map.of(), Map.of(), Map.of("skiff.registry.mirrors", "docker.io=127.0.0.1:5000",
        "skiff.image.substitutions", "mysql=mariadb:10.11, postgres:15=postgres:15.6"));

    assertThat(c.substitution().apply(ImageReference.parse("mysql:8.0")).toString())
        .isEqualTo("127.0.0.1:5000/library/mariadb:10.11");
    assertThat(c.substitution().apply(ImageReference.parse("postgres:15")).toString())
        .isEqualTo("127.0.0.1:5000/library/postgres:15.6");
  }

  @Test
  void theLockFileIsACallersDefaultThatSettingsOverrideOrTurnOff() {
    java.util.function.Consumer<EngineConfig.Builder> junitDefault = b -> b.lockFile(Path.of("src/test/skiff.lock"));
    assertThat(EngineConfig.fromSources(k -> null, k -> null, new Properties()).lockFile()).isEmpty();
    assertThat(EngineConfig.fromSources(k -> null, k -> null, new Properties(), junitDefault).lockFile())
        .hasValue(Path.of("src/test/skiff.lock"));
    EngineConfig off = EngineConfig.fromSources(Map.of("skiff.lock.file", "none")::get, k -> null, new Properties(),
        junitDefault);
    assertThat(off.lockFile()).isEmpty();
    EngineConfig moved = EngineConfig.fromSources(k -> null, Map.of("SKIFF_LOCK_FILE", "/tmp/x.lock",
        "SKIFF_LOCK_UPDATE", "true")::get, new Properties(), junitDefault);
    assertThat(moved.lockFile()).hasValue(Path.of("/tmp/x.lock"));
    assertThat(moved.lockUpdate()).isTrue();
  }

  @Test
  void badValuesNameTheSettingAndTheForm() {
    assertThatThrownBy(() -> from(Map.of("skiff.timeout.read", "soon"), Map.of(), Map.of()))
        .hasMessageContaining("skiff.timeout.read").hasMessageContaining("30s");
    assertThatThrownBy(() -> from(Map.of("skiff.registry.mirrors", "docker.io"), Map.of(), Map.of()))
        .hasMessageContaining("skiff.registry.mirrors").hasMessageContaining("from=to");
    assertThatThrownBy(() -> from(Map.of("skiff.pull.policy", "sometimes"), Map.of(), Map.of()))
        .hasMessageContaining("missing (default), always or never");
    assertThatThrownBy(() -> from(Map.of("skiff.pull.concurrency", "0"), Map.of(), Map.of()))
        .hasMessageContaining("at least 1");
  }
}
