package dev.skiff.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerTokenTest {
  private static final String ENDPOINT = "https://auth.example.com/token";
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"token": "t1", "access_token": "a1"} | t1
      {"access_token": "a1"}                | a1
      {"token": "", "access_token": "a1"}   | a1
      {"token": "t1"}                       | t1
      """)
  void prefersTokenOverAccessToken(String json, String expected) throws IOException {
    assertThat(BearerToken.parse(json, ENDPOINT, NOW).token()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"token": "t"}                                                                 | 2025-03-01T10:01:00Z
      {"token": "t", "expires_in": 300}                                              | 2025-03-01T10:05:00Z
      {"token": "t", "expires_in": "300"}                                            | 2025-03-01T10:05:00Z
      {"token": "t", "expires_in": 10}                                               | 2025-03-01T10:01:00Z
      {"token": "t", "expires_in": "soon"}                                           | 2025-03-01T10:01:00Z
      {"token": "t", "expires_in": 300, "issued_at": "2025-03-01T09:58:00Z"}         | 2025-03-01T10:03:00Z
      {"token": "t", "expires_in": 60, "issued_at": "2025-03-01T11:58:00.5+02:00"}   | 2025-03-01T09:59:00.5Z
      {"token": "t", "expires_in": 300, "issued_at": "yesterday"}                    | 2025-03-01T10:05:00Z
      """)
  void computesExpiryFromLifetimeAndIssueTime(String json, Instant expected) throws IOException {
    assertThat(BearerToken.parse(json, ENDPOINT, NOW).expiresAt()).isEqualTo(expected);
  }

  @Test
  void expiresASafetyMarginEarly() throws IOException {
    BearerToken token = BearerToken.parse("{\"token\": \"t\", \"expires_in\": 300}", ENDPOINT, NOW);
    Instant renewAt = NOW.plusSeconds(300).minus(BearerToken.SAFETY_MARGIN);

    assertThat(token.isExpired(NOW)).isFalse();
    assertThat(token.isExpired(renewAt.minus(Duration.ofMillis(1)))).isFalse();
    assertThat(token.isExpired(renewAt)).isTrue();
    assertThat(token.isExpired(NOW.plusSeconds(3600))).isTrue();
  }

  @Test
  void neverPrintsTheToken() throws IOException {
    assertThat(BearerToken.parse("{\"token\": \"s3cret-token\"}", ENDPOINT, NOW).toString())
        .doesNotContain("s3cret-token")
        .contains("2025-03-01T10:01:00Z");
  }

  @Test
  void rejectsResponsesWithoutAToken() {
    assertThatThrownBy(() -> BearerToken.parse("{\"expires_in\": 300}", ENDPOINT, NOW))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Token endpoint " + ENDPOINT + " returned no 'token' or 'access_token'");
    assertThatThrownBy(() -> BearerToken.parse("<html>login</html>", ENDPOINT, NOW))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Token endpoint " + ENDPOINT + " returned invalid JSON");
    assertThatThrownBy(() -> BearerToken.parse("", ENDPOINT, NOW))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("returned no 'token'");
  }
}
