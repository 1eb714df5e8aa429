package dev.skiff.engine.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where a {@link RegistryClient} finds the credentials for a registry. */
@FunctionalInterface
public interface CredentialSource {
  /**
   * The credentials for {@code registry} ("host[:port]"), or empty for anonymous access.
   *
   * @throws IOException when the source is broken (a malformed config file, a failing credential helper)
   */
  Optional<Credentials> find(String registry) throws IOException;

  /** Docker's own: DOCKER_AUTH_CONFIG, $DOCKER_CONFIG/config.json or ~/.docker/config.json, with credential helpers. */
  static CredentialSource dockerConfig() {
    return DockerConfigCredentials.fromEnvironment()::forRegistry;
  }

  /**
   * Docker's config as seen with {@code environment} (DOCKER_AUTH_CONFIG, DOCKER_CONFIG, PATH for helpers) and
   * {@code home}.
   */
  static CredentialSource dockerConfig(Map<String, String> environment, Path home) {
    return new DockerConfigCredentials(environment, home)::forRegistry;
  }

  /** No credentials for any registry. */
  static CredentialSource anonymous() {
    return registry -> Optional.empty();
  }
}
