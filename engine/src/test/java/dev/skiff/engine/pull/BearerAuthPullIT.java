package dev.skiff.engine.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.registry.CredentialSource;
import dev.skiff.engine.registry.RegistryException;
import dev.skiff.engine.testing.TestEnvironment;
import dev.skiff.engine.testing.TokenService;
import dev.skiff.engine.testing.TokenService.TokenRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a registry that wants Bearer tokens (Docker Hub's scheme): the client follows the challenge to a real
 * token service, with credentials from a Docker config when it has them, and the registry verifies the signed token.
 */
class BearerAuthPullIT {
  static String image(String repositoryAndTag) {
    return TestEnvironment.property("token.registry") + "/" + repositoryAndTag;
  }

  static Engine engine(Path store, CredentialSource credentials) throws IOException {
    return Engine.create(EngineConfig.builder().store(store).credentials(credentials).build());
  }

  @Test
  void credentialsBuyATokenScopedToTheRepository(@TempDir Path store, @TempDir Path home) throws IOException {
    AuthPullIT.writeConfig(home.resolve(".docker"), TestEnvironment.property("token.registry"),
        TestEnvironment.authUsername(), TestEnvironment.authPassword());
    try (TokenService tokens = TokenService.start(false);
        Engine engine = engine(store, CredentialSource.dockerConfig(Map.of(), home))) {
      assertThat(engine.pull(image("library/busybox:1.35")).layers()).hasSize(1);
      assertThat(engine.pull(image("library/busybox:1.35-docker")).layers()).hasSize(1);

      assertThat(tokens.requests()).singleElement().satisfies(r -> {
        assertThat(r.withCredentials()).isTrue();
        assertThat(r.query()).containsEntry("scope", "repository:library/busybox:pull")
            .containsEntry("service", TestEnvironment.property("token.service"));
      });
    }
  }

  @Test
  void eachRepositoryGetsItsOwnToken(@TempDir Path store) throws IOException {
    try (TokenService tokens = TokenService.start(true);
        Engine engine = engine(store, CredentialSource.anonymous())) {
      engine.pull(image("skiff-test/plain:1"));
      engine.pull(image("skiff-test/zstd:1"));
      // Back to the first repository, through the registry: its token is still good.
      engine.pull(ImageReference.parse(image("skiff-test/plain:1")), PullPolicy.ALWAYS, PullListener.SILENT);

      assertThat(tokens.requests()).extracting(r -> r.query().get("scope"))
          .containsExactly("repository:skiff-test/plain:pull", "repository:skiff-test/zstd:pull");
    }
  }

  @Test
  void anonymousTokensServePublicImages(@TempDir Path store) throws IOException {
    try (TokenService tokens = TokenService.start(true);
        Engine engine = engine(store, CredentialSource.anonymous())) {
      assertThat(engine.pull(image("skiff-test/zstd:1")).layers()).hasSize(1);
      assertThat(tokens.requests()).singleElement().satisfies(r -> assertThat(r.withCredentials()).isFalse());
    }
  }

  @Test
  void aRefusedTokenRequestSaysHowToLogIn(@TempDir Path store, @TempDir Path home) throws IOException {
    AuthPullIT.writeConfig(home.resolve(".docker"), TestEnvironment.property("token.registry"),
        TestEnvironment.authUsername(), "wrong");
    try (TokenService tokens = TokenService.start(false);
        Engine engine = engine(store, CredentialSource.dockerConfig(Map.of(), home))) {
      assertThatThrownBy(() -> engine.pull(image("library/busybox:1.35")))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("a token for repository:library/busybox:pull")
          .hasMessageContaining("refused the credentials");
      assertThat(tokens.requests()).extracting(TokenRequest::granted).containsOnly(false);
    }
  }
}
