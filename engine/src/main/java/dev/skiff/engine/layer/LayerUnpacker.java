package dev.skiff.engine.layer;

import dev.skiff.engine.hash.DigestingInputStream;
import java.io.BufferedInputStream;
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
 * UnpackOptions#privileged()}.
 *
 * <p>Not thread-safe for one call; separate calls may run concurrently into different directories.
 */
public final class LayerUnpacker {
  private static final int TAR_BUFFER_SIZE = 64 * 1024;

  private final UnpackOptions options;

  public LayerUnpacker(UnpackOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Reads {@code blob} to its very end and extracts it into {@code emptyDir}. The blob is not closed. If this
   * throws, {@code emptyDir} holds a partial layer and should be deleted.
   *
   * @param emptyDir an existing, empty directory
   * @param what names the image and layer in messages, e.g. {@code "layer sha256:ab12.. of
   *     127.0.0.1:55000/library/redis:7.0"}
   * @throws LayerException if the blob is corrupt or truncated, or an entry would escape {@code emptyDir}
   * @throws IOException if reading the blob or writing the files fails
   */
  public UnpackedLayer unpack(InputStream blob, Path emptyDir, String what) throws IOException {
    DigestingInputStream blobBytes = new DigestingInputStream(blob);
    BlobInputStream compressed = new BlobInputStream(blobBytes);
    Compression compression = Compression.detect(compressed.peek(Compression.MAGIC_LENGTH));
    DigestingInputStream tarBytes;
    List<CrossLayerLink> crossLayerLinks;
    try {
      tarBytes = new DigestingInputStream(compression.decompress(compressed));
    } catch (IOException e) {
      throw compressed.readFailure(e, what, null);
    }
    try (TarReader tar = new TarReader(new BufferedInputStream(tarBytes, TAR_BUFFER_SIZE), compressed, what)) {
      crossLayerLinks = new TarExtractor(emptyDir, options, what).extractAll(tar);
      try {
        tarBytes.drain(); // past the end-of-archive blocks, so the diffID covers all
      } catch (IOException e) {
        throw compressed.readFailure(e, what, null);
      }
      blobBytes.drain(); // past the compressed stream's end, so the digest covers the whole blob
    }
    return new UnpackedLayer(
        blobBytes.digest(), blobBytes.count(), tarBytes.digest(), tarBytes.count(), compression, crossLayerLinks);
  }
}
