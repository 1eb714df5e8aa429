package dev.skiff.engine.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Unpacks a layer blob into a directory in one pass, as it streams in: the blob is hashed, decompressed (gzip,
 * zstd or none, told by its magic bytes), hashed again as a tar, and extracted. The result is ready to be a lower
 * directory of an overlay mount: whiteouts are overlay whiteouts and opaque directories carry the overlay xattr.
 *
 * <p>Entries that would reach outside the directory are refused with a {@link LayerException}: {@code ..} that
 * climbs above the root, and paths or hardlink targets below a symlink. Names are taken relative to the root, as
 * Docker does, so a leading {@code /} or {@code ./} is harmless. Ownership and devices need {@link
 * UnpackOptions#privileged()}; without, the owners the layer records go to an {@link OwnershipRestorer}.
 *
 * <p>Each call reads the blob and decompresses it on a thread of its own while the calling thread writes the
 * files, so one layer keeps two cores busy. Calls may run concurrently, each into its own directory.
 */
public final class LayerUnpacker {
  private final UnpackOptions options;
  private final OwnershipRestorer owners;

  public LayerUnpacker(UnpackOptions options) {
    this(options, OwnershipRestorer.NONE);
  }

  /** @param owners restores the owners an unprivileged unpack could not set */
  public LayerUnpacker(UnpackOptions options, OwnershipRestorer owners) {
    this.options = Objects.requireNonNull(options, "options");
    this.owners = Objects.requireNonNull(owners, "owners");
  }

  /**
   * Reads {@code blob} to its very end and extracts it into {@code emptyDir}. The blob is not closed, and is no
   * longer read once this returns or throws. If this throws, {@code emptyDir} holds a partial layer and should be
   * deleted.
   *
   * @param emptyDir an existing, empty directory
   * @param what names the image and layer in messages, e.g. {@code "layer sha256:ab12.. of
   *     127.0.0.1:55000/library/redis:7.0"}
   * @throws LayerException if the blob is corrupt or truncated, or an entry would escape {@code emptyDir}
   * @throws IOException if reading the blob or writing the files fails
   */
  public UnpackedLayer unpack(InputStream blob, Path emptyDir, String what) throws IOException {
    try (TarReader tar = new TarReader(TarPipe.start(blob, what))) {
      TarExtractor extractor = new TarExtractor(emptyDir, options, what);
      List<CrossLayerLink> crossLayerLinks = extractor.extractAll(tar);
      TarPipe.Digests digests = tar.finish();
      List<FileOwner> foreign = extractor.foreignOwners();
      if (!foreign.isEmpty()) {
        owners.restore(emptyDir, foreign, what);
      }
      return new UnpackedLayer(digests.blobDigest(), digests.blobSize(), digests.diffId(), digests.size(),
          digests.compression(), crossLayerLinks);
    }
  }
}
