package dev.skiff.engine.layer;

import dev.skiff.engine.hash.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What unpacking one layer blob found.
 *
 * @param blobDigest sha256 of the blob exactly as read (compressed), to check against the manifest
 * @param blobSize bytes of the blob
 * @param diffId sha256 of the uncompressed tar, to check against the image config's {@code rootfs.diff_ids}
 * @param size bytes of the uncompressed tar
 * @param compression how the blob was compressed
 * @param crossLayerLinks hardlinks whose targets lie in a lower layer; they were not created
 */
public record UnpackedLayer(
    Digest blobDigest,
    long blobSize,
    Digest diffId,
    long size,
    Compression compression,
    List<CrossLayerLink> crossLayerLinks) {
  public UnpackedLayer {
    Objects.requireNonNull(blobDigest, "blobDigest");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(compression, "compression");
    crossLayerLinks = List.copyOf(crossLayerLinks);
  }
}
