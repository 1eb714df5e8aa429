package dev.skiff.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** Turns an error response into a {@link RegistryException} that says what to do. */
final class RegistryErrors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RegistryErrors() {}

  /**
   * @param what what was asked for, e.g. "manifest 7.0 of library/redis on 127.0.0.1:5000"
   * @param hadCredentials whether an Authorization was sent, to tell "none found" from "refused"
   */
  static RegistryException from(Response response, String what, String host, boolean hadCredentials) {
    int status = response.code();
    String detail = describeBody(response);
    String codes = detail.isEmpty() ? "HTTP " + status : "HTTP " + status + " " + detail;
    String hint =
        switch (status) {
          case 401 -> hadCredentials
              ? "The registry refused the credentials Skiff found for " + host
                  + ". Check them (docker login " + host + ", or DOCKER_AUTH_CONFIG)."
              : "No credentials were found for " + host + " in DOCKER_AUTH_CONFIG, $DOCKER_CONFIG/config.json or"
                  + " ~/.docker/config.json. Log in with 'docker login " + host + "' or set DOCKER_AUTH_CONFIG.";
          case 403 -> "The credentials for " + host + " are not allowed to pull this repository.";
          case 404 -> detail.contains("NAME_UNKNOWN")
              ? "The repository does not exist on " + host + ": check the image name."
              : "It does not exist on " + host + ": check the image name and tag (the tag may have been deleted).";
          case 429 -> "The registry is rate limiting pulls. Configure a registry mirror (skiff.registry.mirrors) or"
              + " log in to raise the limit.";
          default -> status >= 500
              ? "The registry failed repeatedly; try again later or check the registry's logs."
              : "Unexpected answer from the registry.";
        };
    return new RegistryException("Cannot fetch " + what + ": " + codes + ". " + hint, status);
  }

  /** The registry's error codes and messages (distribution spec error body), or a short excerpt of the body. */
  private static String describeBody(Response response) {
    ResponseBody body = response.body();
    if (body == null) {
      return "";
    }
    String text;
    try {
      BufferedSource source = body.source();
      source.request(8192); // false at a shorter body's end, which is fine
      text = source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), 8192));
    } catch (IOException | RuntimeException e) {
      return "";
    }
    try {
      JsonNode errors = MAPPER.readTree(text).path("errors");
      List<String> parts = new ArrayList<>();
      errors.forEach(e -> parts.add(e.path("code").asText("") + " (" + e.path("message").asText("") + ")"));
      if (!parts.isEmpty()) {
        return String.join(", ", parts);
      }
    } catch (IOException | RuntimeException e) {
      // not the spec's error body; fall through to an excerpt
    }
    String trimmed = text.strip().replaceAll("\\s+", " ");
    return trimmed.length() > 200 ? trimmed.substring(0, 200) + "…" : trimmed;
  }
}
