package dev.skiff.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthChallengeTest {

  private static AuthChallenge only(String... headerValues) {
    List<AuthChallenge> challenges = AuthChallenge.parse(Arrays.asList(headerValues));
    assertThat(challenges).hasSize(1);
    return challenges.get(0);
  }

  @Test
  void parsesDockerHubsBearerChallenge() {
    AuthChallenge challenge = only("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:library/redis:pull\"");

    assertThat(challenge.scheme()).isEqualTo("bearer");
    assertThat(challenge.realm()).contains("https://auth.docker.io/token");
    assertThat(challenge.service()).contains("registry.docker.io");
    assertThat(challenge.scope()).contains("repository:library/redis:pull");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Bearer realm=\"https://a/token\",service=\"s\"",
      "bearer service=\"s\", realm=\"https://a/token\"",
      "BEARER   Realm = \"https://a/token\" ,\tSERVICE=s",
      "Bearer realm=https://a/token, service=s",
      "Bearer realm=\"https://a/token\" service=\"s\"",
      ", Bearer ,realm=\"https://a/token\",,service=\"s\",",
  })
  void toleratesCaseOrderSpacingAndQuotingVariants(String header) {
    AuthChallenge challenge = only(header);

    assertThat(challenge.scheme()).isEqualTo("bearer");
    assertThat(challenge.realm()).contains("https://a/token");
    assertThat(challenge.service()).contains("s");
    assertThat(challenge.param("SeRvIcE")).contains("s");
  }

  @Test
  void keepsCommasInsideQuotesAndUnescapesBackslashes() {
    AuthChallenge challenge = only("Bearer scope=\"repository:a:pull,push\",realm=\"say \\\"hi\\\" \\\\ bye\"");

    assertThat(challenge.scope()).contains("repository:a:pull,push");
    assertThat(challenge.realm()).contains("say \"hi\" \\ bye");
  }

  @Test
  void readsSeveralChallengesFromOneValueAndFromSeveralHeaders() {
    List<AuthChallenge> challenges = AuthChallenge.parse(List.of(
        "Basic realm=\"Registry Realm\", Bearer realm=\"https://a/token\",service=\"s\"",
        "Negotiate",
        "Bearer realm=\"https://b/token\""));

    assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer", "negotiate", "bearer");
    assertThat(challenges).extracting(AuthChallenge::realm).containsExactly(
        Optional.of("Registry Realm"), Optional.of("https://a/token"), Optional.empty(),
        Optional.of("https://b/token"));
    assertThat(challenges.get(1).service()).contains("s");
    assertThat(challenges.get(0).service()).isEmpty();
  }

  @Test
  void skipsToken68CredentialsWithoutMistakingThemForSchemes() {
    List<AuthChallenge> challenges = AuthChallenge.parse(List.of(
        "Basic dXNlcjpwYXNz==, Bearer realm=\"https://a/token\"", "Custom abc/def="));

    assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer", "custom");
    assertThat(challenges.get(1).realm()).contains("https://a/token");
  }

  @Test
  void keepsTheFirstOfRepeatedParameters() {
    assertThat(only("Bearer realm=\"first\", realm=\"second\"").realm()).contains("first");
  }

  @Test
  void returnsWhatCouldBeParsedFromMalformedHeaders() {
    assertThat(only("Bearer service=\"s\", realm=\"https://never-closed").service()).contains("s");
    assertThat(only("Bearer service=\"s\", realm=\"https://never-closed").realm()).isEmpty();
    assertThat(only("=oops, (junk), Bearer realm=\"x\"").realm()).contains("x");
    assertThat(only("Bearer realm=\"x\", =, service=\"s\"").service()).contains("s");
    assertThat(AuthChallenge.parse(List.of("realm=\"no scheme\"", "", "   ,  "))).isEmpty();
    assertThat(AuthChallenge.parse(Arrays.asList((String) null))).isEmpty();
    assertThat(AuthChallenge.parse(List.of())).isEmpty();
  }
}
