package dev.skiff.engine.image;

import dev.skiff.engine.hash.Digest;
import java.util.Map;
import java.util.Optional;

/**
 * A reference to content by media type, digest and size, as found in manifests and indexes.
 *
 * @param platform present only on index entries that declare one
 */
public record Descriptor(
    String mediaType, Digest digest, long size, Optional<Platform> platform, Map<String, String> annotations) {
  public Descriptor {
    annotations = Map.copyOf(annotations);
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, Optional.empty(), Map.of());
  }
}
