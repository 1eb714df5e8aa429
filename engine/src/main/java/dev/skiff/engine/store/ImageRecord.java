package dev.skiff.engine.store;

import dev.skiff.engine.hash.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A pulled image as the store remembers it.
 *
 * @param reference the reference as asked for, canonical (e.g. {@code docker.io/library/redis:7.0})
 * @param source the reference actually pulled, after mirrors and substitutions
 * @param indexDigest the image index the manifest was chosen from, if any
 * @param layers bottom first
 */
public record ImageRecord(
    String reference,
    String source,
    Optional<Digest> indexDigest,
    Digest manifestDigest,
    Digest configDigest,
    String platform,
    List<Layer> layers,
    Instant pulledAt) {

  public ImageRecord {
    layers = List.copyOf(layers);
  }

  /** One layer of the image: its blob as served and its uncompressed content's digest. */
  public record Layer(Digest blobDigest, long blobSize, String mediaType, Digest diffId) {}

  /** The bytes the image's layers take in the registry, compressed. */
  public long compressedSize() {
    return layers.stream().mapToLong(Layer::blobSize).sum();
  }
}
