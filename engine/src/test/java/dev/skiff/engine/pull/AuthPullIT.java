package dev.skiff.engine.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.registry.CredentialSource;
import dev.skiff.engine.registry.RegistryClient;
import dev.skiff.engine.registry.RegistryException;
import dev.skiff.engine.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from the registry that demands Basic auth, with credentials from a real Docker config file. */
class AuthPullIT {
  static String image() {
    return TestEnvironment.authRegistry() + "/library/busybox:1.35";
  }

  static Engine engine(Path store, CredentialSource credentials) throws IOException {
    return Engine.create(EngineConfig.builder().store(store).credentials(credentials).build());
  }

  @Test
  void withoutCredentialsTheErrorSaysHowToLogIn(@TempDir Path store, @TempDir Path home) throws IOException {
    try (Engine engine = engine(store, CredentialSource.dockerConfig(Map.of(), home))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("401")
          .hasMessageContaining("No credentials were found for " + TestEnvironment.authRegistry())
          .hasMessageContaining("docker login");
    }
  }

  @Test
  void credentialsFromTheDockerConfigFileAreUsed(@TempDir Path store, @TempDir Path home) throws IOException {
    writeConfig(home.resolve(".docker"), TestEnvironment.authUsername(), TestEnvironment.authPassword());
    try (Engine engine = engine(store, CredentialSource.dockerConfig(Map.of(), home))) {
      assertThat(engine.pull(image()).layers()).hasSize(1);
    }
  }

  @Test
  void dockerAuthConfigVariableIsUsed(@TempDir Path store, @TempDir Path home) throws IOException {
    String auth = "{\"auths\":{\"" + TestEnvironment.authRegistry() + "\":{\"auth\":\""
        + base64(TestEnvironment.authUsername() + ":" + TestEnvironment.authPassword()) + "\"}}}";
    try (Engine engine = engine(store, CredentialSource.dockerConfig(Map.of("DOCKER_AUTH_CONFIG", auth), home))) {
      assertThat(engine.pull(image()).layers()).hasSize(1);
    }
  }

  @Test
  void wrongCredentialsAreReportedAsRefused(@TempDir Path store, @TempDir Path home) throws IOException {
    writeConfig(home.resolve(".docker"), TestEnvironment.authUsername(), "wrong-password");
    try (Engine engine = engine(store, CredentialSource.dockerConfig(Map.of(), home))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("refused the credentials");
    }
  }

  @Test
  void pingAuthenticatesWhenAsked(@TempDir Path home) throws IOException {
    String registry = TestEnvironment.authRegistry();
    RegistryClient anonymous = RegistryClient.builder().credentials(CredentialSource.anonymous()).build();
    assertThatThrownBy(() -> anonymous.ping(registry))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(401));

    writeConfig(home.resolve(".docker"), TestEnvironment.authUsername(), TestEnvironment.authPassword());
    RegistryClient.builder().credentials(CredentialSource.dockerConfig(Map.of(), home)).build().ping(registry);
  }

  static void writeConfig(Path dockerDir, String user, String password) throws IOException {
    writeConfig(dockerDir, TestEnvironment.authRegistry(), user, password);
  }

  static void writeConfig(Path dockerDir, String registry, String user, String password) throws IOException {
    Files.createDirectories(dockerDir);
    Files.writeString(dockerDir.resolve("config.json"), "{\"auths\":{\"http://" + registry
        + "\":{\"auth\":\"" + base64(user + ":" + password) + "\"}}}");
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
