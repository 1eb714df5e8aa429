package dev.skiff.engine.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerConfigCredentialsTest {
  /** Records its arguments, stdin and one environment variable, then answers like a real helper would. */
  private static final String HELPER_SCRIPT = """
      #!/bin/sh
      dir="${0%/*}"
      printf '%s' "$*" > "$dir/args"
      IFS= read -r server || true
      printf '%s' "$server" > "$dir/stdin"
      printf '%s' "$SKIFF_MARK" > "$dir/mark"
      case "$server" in
        registry.example.com) printf '{"ServerURL":"%s","Username":"alice","Secret":"s3cret"}\\n' "$server" ;;
        token.example.com) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-123"}' "$server" ;;
        https://index.docker.io/v1/) printf '{"Username":"hubuser","Secret":"hubpass"}' ;;
        broken.example.com) echo "keychain is locked" >&2; exit 3 ;;
        garbage.example.com) echo "this is not json" ;;
        *) echo "credentials not found in native keychain"; exit 1 ;;
      esac
      """;

  @TempDir Path temp;
  private Path home;
  private Path bin;
  private Map<String, String> env;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(temp.resolve("home"));
    bin = Files.createDirectories(temp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-skifftest");
    Files.writeString(helper, HELPER_SCRIPT);
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    // Only our helper's directory, so helpers installed here cannot answer; the script uses only sh builtins.
    env = new HashMap<>(Map.of("PATH", bin.toString(), "SKIFF_MARK", "from-test-env"));
  }

  private Path writeHomeConfig(String json) throws IOException {
    Path file = Files.createDirectories(home.resolve(".docker")).resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  private Optional<Credentials> resolve(String registry) throws IOException {
    return new DockerConfigCredentials(env, home).forRegistry(registry);
  }

  private String recorded(String name) throws IOException {
    return Files.readString(bin.resolve(name));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  private static Credentials basic(String username, String password) {
    return new Credentials.UsernamePassword(username, password);
  }

  @Test
  void withoutAConfigRegistriesAreAnonymous() throws IOException {
    assertThat(resolve("ghcr.io")).isEmpty();
  }

  @Test
  void decodesTheAuthField() throws IOException {
    writeHomeConfig("{\"auths\": {\"registry.example.com\": {\"auth\": \"" + base64("alice:pa:ss") + "\"}}}");

    assertThat(resolve("registry.example.com")).contains(basic("alice", "pa:ss"));
    assertThat(resolve("other.example.com")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ghcr.io", "https://ghcr.io", "http://ghcr.io/v1/", "https://GHCR.io/v2/"})
  void matchesAuthsKeysWrittenAsUrls(String key) throws IOException {
    writeHomeConfig("{\"auths\": {\"" + key + "\": {\"username\": \"bob\", \"password\": \"pw\"}}}");

    assertThat(resolve("ghcr.io")).contains(basic("bob", "pw"));
  }

  @Test
  void portsAreDistinctRegistries() throws IOException {
    writeHomeConfig("{\"auths\": {\"localhost:5000\": {\"username\": \"bob\", \"password\": \"pw\"}}}");

    assertThat(resolve("localhost:5000")).contains(basic("bob", "pw"));
    assertThat(resolve("localhost:5001")).isEmpty();
    assertThat(resolve("localhost")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker.io", "index.docker.io", "registry-1.docker.io"})
  void findsDockerHubUnderItsLegacyKeyFromAnyOfItsNames(String registry) throws IOException {
    writeHomeConfig("{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"" + base64("hub:pw") + "\"}}}");

    assertThat(resolve(registry)).contains(basic("hub", "pw"));
  }

  @Test
  void prefersTheExactDockerHubKeyOverOtherSpellings() throws IOException {
    writeHomeConfig("{\"auths\": {"
        + "\"docker.io\": {\"auth\": \"" + base64("short:pw") + "\"},"
        + "\"https://index.docker.io/v1/\": {\"auth\": \"" + base64("legacy:pw") + "\"}}}");

    assertThat(resolve("docker.io")).contains(basic("legacy", "pw"));
  }

  @Test
  void identityTokenWinsOverPassword() throws IOException {
    writeHomeConfig("{\"auths\": {\"acr.example.com\": {\"auth\": \"" + base64("00000000-0000:") + "\", "
        + "\"identitytoken\": \"refresh-xyz\"}}}");

    assertThat(resolve("acr.example.com")).contains(new Credentials.IdentityToken("refresh-xyz"));
  }

  @Test
  void anEmptyEntryMeansNoCredentials() throws IOException {
    writeHomeConfig("{\"auths\": {\"ghcr.io\": {}}}");

    assertThat(resolve("ghcr.io")).isEmpty();
  }

  @Test
  void dockerAuthConfigWinsOverDockerConfigWhichWinsOverHome() throws IOException {
    writeHomeConfig("{\"auths\": {\"ghcr.io\": {\"username\": \"home\", \"password\": \"pw\"}}}");
    Path custom = Files.createDirectories(temp.resolve("custom"));
    Files.writeString(custom.resolve("config.json"),
        "{\"auths\": {\"ghcr.io\": {\"username\": \"custom\", \"password\": \"pw\"}}}");

    assertThat(resolve("ghcr.io")).contains(basic("home", "pw"));
    env.put("DOCKER_CONFIG", custom.toString());
    assertThat(resolve("ghcr.io")).contains(basic("custom", "pw"));
    env.put("DOCKER_AUTH_CONFIG", "{\"auths\": {\"ghcr.io\": {\"username\": \"inline\", \"password\": \"pw\"}}}");
    assertThat(resolve("ghcr.io")).contains(basic("inline", "pw"));
  }

  @Test
  void anEmptyDockerConfigDirectoryMeansAnonymousNotHome() throws IOException {
    writeHomeConfig("{\"auths\": {\"ghcr.io\": {\"username\": \"home\", \"password\": \"pw\"}}}");
    env.put("DOCKER_CONFIG", Files.createDirectories(temp.resolve("empty")).toString());

    assertThat(resolve("ghcr.io")).isEmpty();
  }

  @Test
  void credHelpersWinOverCredsStoreWhichWinsOverAuths() throws IOException {
    writeHomeConfig("{"
        + "\"credHelpers\": {\"registry.example.com\": \"skifftest\"},"
        + "\"credsStore\": \"not-installed\","
        + "\"auths\": {\"registry.example.com\": {\"username\": \"from-auths\", \"password\": \"pw\"}}}");

    assertThat(resolve("registry.example.com")).contains(basic("alice", "s3cret"));
    assertThat(recorded("args")).isEqualTo("get");
    assertThat(recorded("stdin")).isEqualTo("registry.example.com");
    assertThat(recorded("mark")).isEqualTo("from-test-env");
  }

  @Test
  void credsStoreWinsOverAuthsEvenWhenItHasNothing() throws IOException {
    writeHomeConfig("{\"credsStore\": \"skifftest\","
        + "\"auths\": {\"nothing.example.com\": {\"username\": \"from-auths\", \"password\": \"pw\"}}}");

    assertThat(resolve("nothing.example.com")).isEmpty();
    assertThat(recorded("stdin")).isEqualTo("nothing.example.com");
  }

  @Test
  void helpersAreAskedForDockerHubByItsLegacyServerUrl() throws IOException {
    writeHomeConfig("{\"credHelpers\": {\"docker.io\": \"skifftest\"}}");

    assertThat(resolve("registry-1.docker.io")).contains(basic("hubuser", "hubpass"));
    assertThat(recorded("stdin")).isEqualTo("https://index.docker.io/v1/");
  }

  @Test
  void aTokenUsernameFromAHelperMeansAnIdentityToken() throws IOException {
    writeHomeConfig("{\"credsStore\": \"skifftest\"}");

    assertThat(resolve("token.example.com")).contains(new Credentials.IdentityToken("refresh-123"));
  }

  @Test
  void reportsAFailingHelperWithItsOutput() throws IOException {
    writeHomeConfig("{\"credsStore\": \"skifftest\"}");

    assertThatThrownBy(() -> resolve("broken.example.com"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("docker-credential-skifftest get failed for 'broken.example.com' with exit status 3: "
            + "keychain is locked: check that it works with: echo broken.example.com | "
            + bin.resolve("docker-credential-skifftest") + " get");
    assertThatThrownBy(() -> resolve("garbage.example.com"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("docker-credential-skifftest get answered 'garbage.example.com' with invalid JSON");
  }

  @Test
  void reportsAMissingHelperAndTheConfigThatAskedForIt() throws IOException {
    Path config = writeHomeConfig(
        "{\"credHelpers\": {\"gcr.io\": \"skiff-absent\"}, \"credsStore\": \"skiff-absent-store\"}");

    assertThatThrownBy(() -> resolve("gcr.io"))
        .isInstanceOf(IOException.class)
        .hasMessage("Docker credential helper 'docker-credential-skiff-absent' is not on the PATH (" + env.get("PATH")
            + "), but credHelpers[\"gcr.io\"] in Docker config " + config + " asks for it: install it, or remove "
            + "that entry from the config");
    assertThatThrownBy(() -> resolve("ghcr.io"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'docker-credential-skiff-absent-store' is not on the PATH")
        .hasMessageContaining("credsStore in Docker config " + config);
  }

  @Test
  void rejectsHelperNamesThatAreNotPlainWords() throws IOException {
    writeHomeConfig("{\"credsStore\": \"../../bin/sh\"}");

    assertThatThrownBy(() -> resolve("ghcr.io"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Invalid Docker credential helper name '../../bin/sh' in credsStore");
  }

  @Test
  void reportsMalformedJsonWithTheFileAndPosition() throws IOException {
    Path config = writeHomeConfig("{\n  \"auths\": {\n    \"ghcr.io\": {\"auth\": }\n  }\n}");

    assertThatThrownBy(() -> resolve("ghcr.io"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Docker config " + config + " is not valid JSON: Unexpected character ('}'")
        .hasMessageContaining("(line 3, column")
        .hasMessageEndingWith(": fix the JSON, or remove the config to access registries anonymously");
  }

  @Test
  void reportsMalformedJsonInTheEnvironmentVariable() {
    env.put("DOCKER_AUTH_CONFIG", "{\"auths\": ");

    assertThatThrownBy(() -> resolve("ghcr.io"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Docker config DOCKER_AUTH_CONFIG (environment variable) is not valid JSON");
  }

  @Test
  void reportsWrongTypesWithTheFieldAndFile() throws IOException {
    Path config = writeHomeConfig("[]");
    assertThatThrownBy(() -> resolve("ghcr.io"))
        .hasMessage("Docker config " + config + " must hold a JSON object, not a JSON array: fix it, or remove the "
            + "config to access registries anonymously");

    writeHomeConfig("{\"auths\": \"ghcr.io\"}");
    assertThatThrownBy(() -> resolve("ghcr.io"))
        .hasMessage("'auths' in Docker config " + config + " must be a JSON object, not a JSON string: fix the config");

    writeHomeConfig("{\"auths\": {\"ghcr.io\": \"secret\"}}");
    assertThatThrownBy(() -> resolve("ghcr.io"))
        .hasMessageStartingWith("auths[\"ghcr.io\"] in Docker config " + config + " must be a JSON object");

    writeHomeConfig("{\"credHelpers\": {\"ghcr.io\": 42}}");
    assertThatThrownBy(() -> resolve("ghcr.io"))
        .hasMessageStartingWith("credHelpers[\"ghcr.io\"] in Docker config " + config
            + " must be a string naming a credential helper, not a JSON number");
  }

  @Test
  void reportsUndecodableAuthWithTheEntryAndFile() throws IOException {
    Path config = writeHomeConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"not base64!\"}}}");
    assertThatThrownBy(() -> resolve("ghcr.io"))
        .hasMessageStartingWith("The 'auth' of auths[\"ghcr.io\"] in Docker config " + config + " is not base64");

    writeHomeConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + base64("no-colon") + "\"}}}");
    assertThatThrownBy(() -> resolve("ghcr.io"))
        .hasMessageStartingWith("The 'auth' of auths[\"ghcr.io\"] in Docker config " + config
            + " does not decode to 'username:password'");
  }
}
