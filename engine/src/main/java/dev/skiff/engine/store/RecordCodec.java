package dev.skiff.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.layer.CrossLayerLink;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JSON form of store records. Written by hand so the value types stay free of serialization concerns. */
final class RecordCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordCodec() {}

  static byte[] write(ImageRecord r) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("reference", r.reference());
    o.put("source", r.source());
    r.indexDigest().ifPresent(d -> o.put("indexDigest", d.toString()));
    o.put("manifestDigest", r.manifestDigest().toString());
    o.put("configDigest", r.configDigest().toString());
    o.put("platform", r.platform());
    ArrayNode layers = o.putArray("layers");
    for (ImageRecord.Layer l : r.layers()) {
      layers.addObject()
          .put("blobDigest", l.blobDigest().toString())
          .put("blobSize", l.blobSize())
          .put("mediaType", l.mediaType())
          .put("diffId", l.diffId().toString());
    }
    o.put("pulledAt", r.pulledAt().toString());
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
  }

  static ImageRecord readImage(byte[] json) throws IOException {
    JsonNode o = MAPPER.readTree(json);
    List<ImageRecord.Layer> layers = new ArrayList<>();
    for (JsonNode l : o.path("layers")) {
      layers.add(new ImageRecord.Layer(Digest.parse(l.path("blobDigest").asText()), l.path("blobSize").asLong(),
          l.path("mediaType").asText(), Digest.parse(l.path("diffId").asText())));
    }
    return new ImageRecord(
        o.path("reference").asText(),
        o.path("source").asText(),
        o.hasNonNull("indexDigest") ? Optional.of(Digest.parse(o.get("indexDigest").asText())) : Optional.empty(),
        Digest.parse(o.path("manifestDigest").asText()),
        Digest.parse(o.path("configDigest").asText()),
        o.path("platform").asText(),
        layers,
        Instant.parse(o.path("pulledAt").asText()));
  }

  static byte[] write(LayerRecord r) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("diffId", r.diffId().toString());
    o.put("blobDigest", r.blobDigest().toString());
    o.put("blobSize", r.blobSize());
    o.put("size", r.size());
    o.put("compression", r.compression());
    ArrayNode links = o.putArray("crossLayerLinks");
    for (CrossLayerLink link : r.crossLayerLinks()) {
      links.addObject().put("path", link.path()).put("target", link.target());
    }
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
  }

  static LayerRecord readLayer(byte[] json) throws IOException {
    JsonNode o = MAPPER.readTree(json);
    List<CrossLayerLink> links = new ArrayList<>();
    for (JsonNode l : o.path("crossLayerLinks")) {
      links.add(new CrossLayerLink(l.path("path").asText(), l.path("target").asText()));
    }
    return new LayerRecord(Digest.parse(o.path("diffId").asText()), Digest.parse(o.path("blobDigest").asText()),
        o.path("blobSize").asLong(), o.path("size").asLong(), o.path("compression").asText(), links);
  }

  static byte[] write(SnapshotRecord r) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("key", r.key());
    o.put("image", r.image());
    o.put("baseManifest", r.baseManifest().toString());
    r.inputs().forEach(o.putObject("inputs")::put);
    o.put("created", r.created().toString());
    o.put("size", r.size());
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
  }

  static SnapshotRecord readSnapshot(byte[] json) throws IOException {
    JsonNode o = MAPPER.readTree(json);
    java.util.Map<String, String> inputs = new java.util.LinkedHashMap<>();
    o.path("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
    return new SnapshotRecord(o.path("key").asText(), o.path("image").asText(),
        Digest.parse(o.path("baseManifest").asText()), inputs, Instant.parse(o.path("created").asText()),
        o.path("size").asLong());
  }
}
