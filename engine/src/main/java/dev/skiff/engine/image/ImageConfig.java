package dev.skiff.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.engine.hash.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of an image's config blob a container is built from.
 *
 * @param user empty when the image does not set one (root)
 * @param exposedPorts as written, e.g. {@code 6379/tcp}
 * @param diffIds the digests of the uncompressed layers, bottom first
 */
public record ImageConfig(
    String os,
    String architecture,
    String user,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    Set<String> exposedPorts,
    Map<String, String> labels,
    Optional<String> stopSignal,
    Optional<Healthcheck> healthcheck,
    List<Digest> diffIds) {

  public ImageConfig {
    env = List.copyOf(env);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    exposedPorts = Set.copyOf(exposedPorts);
    labels = Map.copyOf(labels);
    diffIds = List.copyOf(diffIds);
  }

  /**
   * The image's HEALTHCHECK.
   *
   * @param test e.g. {@code [CMD-SHELL, redis-cli ping]}; {@code [NONE]} disables an inherited check
   */
  public record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod, int retries) {
    public Healthcheck {
      test = List.copyOf(test);
    }
  }

  /**
   * Parses a config blob.
   *
   * @param where names the image, for error messages
   */
  public static ImageConfig parse(byte[] json, String where) {
    JsonNode root = JsonSupport.readObject(json, "image config", where);
    JsonNode c = root.path("config");
    List<Digest> diffIds = new ArrayList<>();
    for (String s : JsonSupport.stringList(root.path("rootfs").get("diff_ids"))) {
      try {
        diffIds.add(Digest.parse(s));
      } catch (IllegalArgumentException e) {
        throw new InvalidManifestException(where + ": the image config lists an invalid diff_id: " + e.getMessage());
      }
    }
    Set<String> ports = new LinkedHashSet<>();
    c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    String stopSignal = c.path("StopSignal").asText("");
    return new ImageConfig(
        root.path("os").asText(""),
        root.path("architecture").asText(""),
        c.path("User").asText(""),
        JsonSupport.stringList(c.get("Env")),
        JsonSupport.stringList(c.get("Entrypoint")),
        JsonSupport.stringList(c.get("Cmd")),
        c.path("WorkingDir").asText(""),
        ports,
        JsonSupport.stringMap(c.get("Labels")),
        stopSignal.isEmpty() ? Optional.empty() : Optional.of(stopSignal),
        healthcheck(c.get("Healthcheck")),
        diffIds);
  }

  private static Optional<Healthcheck> healthcheck(JsonNode h) {
    if (h == null || !h.isObject() || !h.has("Test")) {
      return Optional.empty();
    }
    return Optional.of(new Healthcheck(
        JsonSupport.stringList(h.get("Test")),
        Duration.ofNanos(h.path("Interval").asLong(0)),
        Duration.ofNanos(h.path("Timeout").asLong(0)),
        Duration.ofNanos(h.path("StartPeriod").asLong(0)),
        h.path("Retries").asInt(0)));
  }
}
