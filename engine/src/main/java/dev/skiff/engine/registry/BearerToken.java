package dev.skiff.engine.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry access token from a Bearer token endpoint, with the time it stops being valid.
 *
 * <p>Follows the Docker token spec: {@code token} (or OAuth's {@code access_token}), {@code expires_in} seconds
 * (at least 60), and an optional RFC 3339 {@code issued_at}.
 */
final class BearerToken {
  private static final Logger log = LoggerFactory.getLogger(BearerToken.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The spec's minimum lifetime, assumed when a response gives none or less. */
  static final Duration MINIMUM_LIFETIME = Duration.ofSeconds(60);
  /** Renew this long before expiry, so a token does not lapse between check and use. */
  static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);

  private final String token;
  private final Instant expiresAt;

  private BearerToken(String token, Instant expiresAt) {
    this.token = token;
    this.expiresAt = expiresAt;
  }

  /**
   * Parses a token endpoint's JSON response.
   *
   * @param json the response body
   * @param endpoint the token endpoint's URL, named in errors
   * @param now the time the response arrived, used when it carries no {@code issued_at}
   * @throws IOException if the body is not JSON or holds no token
   */
  static BearerToken parse(String json, String endpoint, Instant now) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IOException("Token endpoint " + endpoint + " returned invalid JSON (" + e.getOriginalMessage()
          + "): check that the realm in the registry's WWW-Authenticate header is a token endpoint", e);
    }
    String token = text(root, "token");
    if (token == null) {
      token = text(root, "access_token");
    }
    if (token == null) {
      throw new IOException("Token endpoint " + endpoint + " returned no 'token' or 'access_token': check that the "
          + "realm in the registry's WWW-Authenticate header is a token endpoint");
    }
    return new BearerToken(token, issuedAt(root, now).plus(lifetime(root)));
  }

  /** The token to send as {@code Authorization: Bearer <token>}. */
  String token() {
    return token;
  }

  /** When the token stops being valid. */
  Instant expiresAt() {
    return expiresAt;
  }

  /** Whether the token has expired at {@code now}, or will within {@link #SAFETY_MARGIN}. */
  boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt.minus(SAFETY_MARGIN));
  }

  @Override
  public String toString() {
    return "BearerToken[expires " + expiresAt + "]";
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.path(field);
    return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  private static Duration lifetime(JsonNode root) {
    long seconds = root.path("expires_in").asLong(0); // 0 when absent or not a number
    return seconds < MINIMUM_LIFETIME.getSeconds() ? MINIMUM_LIFETIME : Duration.ofSeconds(seconds);
  }

  private static Instant issuedAt(JsonNode root, Instant now) {
    String issuedAt = text(root, "issued_at");
    if (issuedAt == null) {
      return now;
    }
    try {
      return OffsetDateTime.parse(issuedAt).toInstant();
    } catch (DateTimeParseException e) {
      log.debug("Ignoring issued_at '{}', which is not an RFC 3339 time: {}", issuedAt, e.getMessage());
      return now;
    }
  }
}
