package dev.skiff.engine.layer;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** How a layer blob is compressed, as told by its first bytes (media types are not always truthful). */
public enum Compression {
  GZIP,
  ZSTD,
  NONE;

  /** Bytes {@link #detect} looks at; fewer are fine for short blobs. */
  static final int MAGIC_LENGTH = 4;

  private static final int BUFFER_SIZE = 64 * 1024;

  /** Recognises gzip ({@code 1f 8b}) and zstd ({@code 28 b5 2f fd}); anything else is taken to be a plain tar. */
  public static Compression detect(byte[] head) {
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (head.length >= 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** The decompressed view of {@code in}. */
  InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(in, BUFFER_SIZE);
      case ZSTD -> new ZstdCompressorInputStream(in);
      case NONE -> in;
    };
  }
}
