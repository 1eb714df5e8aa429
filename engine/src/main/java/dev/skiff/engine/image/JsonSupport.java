package dev.skiff.engine.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.engine.hash.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading of the JSON fields manifests, indexes and configs share. */
final class JsonSupport {
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private JsonSupport() {}

  /** Reads a JSON object; {@code what} ("manifest", "image config") and {@code where} go into the error. */
  static JsonNode readObject(byte[] json, String what, String where) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidManifestException(where + ": the " + what + " is not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new InvalidManifestException(where + ": the " + what + " cannot be read (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidManifestException(where + ": the " + what + " is not a JSON object");
    }
    return root;
  }

  static Descriptor descriptor(JsonNode node, String where) {
    String digest = node.path("digest").asText("");
    Digest parsed;
    try {
      parsed = Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new InvalidManifestException(where + ": a descriptor has an invalid digest: " + e.getMessage());
    }
    if (!node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
      throw new InvalidManifestException(where + ": the descriptor of " + digest + " has no valid size");
    }
    Optional<Platform> platform = Optional.empty();
    JsonNode p = node.get("platform");
    if (p != null && p.isObject()) {
      platform = Optional.of(new Platform(p.path("os").asText(""), p.path("architecture").asText(""),
          p.path("variant").asText(null)));
    }
    return new Descriptor(node.path("mediaType").asText(""), parsed, node.path("size").asLong(), platform,
        stringMap(node.get("annotations")));
  }

  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }

  static List<String> stringList(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> list.add(n.asText()));
    }
    return list;
  }
}
