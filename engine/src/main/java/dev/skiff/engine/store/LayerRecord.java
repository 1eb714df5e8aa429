package dev.skiff.engine.store;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.layer.CrossLayerLink;
import java.util.List;

/**
 * What the store knows of an unpacked layer, kept beside its files.
 *
 * @param diffId digest of the uncompressed tar: the layer's key in the store
 * @param blobDigest digest of the blob as the registry served it
 * @param crossLayerLinks hardlinks whose targets lie in a lower layer; resolved per image
 */
public record LayerRecord(
    Digest diffId, Digest blobDigest, long blobSize, long size, String compression,
    List<CrossLayerLink> crossLayerLinks) {
  public LayerRecord {
    crossLayerLinks = List.copyOf(crossLayerLinks);
  }
}
