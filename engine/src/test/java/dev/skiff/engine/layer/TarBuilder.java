package dev.skiff.engine.layer;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in memory for tests, with Commons Compress' writer. */
final class TarBuilder {
  static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  TarBuilder() {
    this(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /** @param longFileMode how names over 100 bytes are written: PAX headers or GNU long-name entries */
  TarBuilder(int longFileMode) {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(longFileMode);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  TarBuilder dir(String name, int mode) {
    return add(name, TarConstants.LF_DIR, e -> e.setMode(mode), null);
  }

  TarBuilder file(String name, String content) {
    return file(name, content, 0644);
  }

  TarBuilder file(String name, String content, int mode) {
    return add(name, TarConstants.LF_NORMAL, e -> e.setMode(mode), content.getBytes(StandardCharsets.UTF_8));
  }

  TarBuilder symlink(String name, String target) {
    return add(name, TarConstants.LF_SYMLINK, e -> e.setLinkName(target), null);
  }

  TarBuilder hardlink(String name, String target) {
    return add(name, TarConstants.LF_LINK, e -> e.setLinkName(target), null);
  }

  /** An entry of any type; {@code customize} sets what the defaults (mode 0644, root, {@link #MTIME}) do not. */
  TarBuilder add(String name, byte type, Consumer<TarArchiveEntry> customize, byte[] content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setMode(0644);
    entry.setModTime(MTIME);
    customize.accept(entry);
    if (content != null) {
      entry.setSize(content.length);
    }
    try {
      tar.putArchiveEntry(entry);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A PAX extended header with records written byte for byte, applying to the next entry. */
  TarBuilder paxHeader(byte[]... records) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (byte[] record : records) {
      raw.writeBytes(record);
    }
    return add("PaxHeaders/entry", TarConstants.LF_PAX_EXTENDED_HEADER_LC, e -> {}, raw.toByteArray());
  }

  /** One PAX record, "length key=value\n", with a binary value. */
  static byte[] paxRecord(String key, byte[] value) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    int body = 1 + keyBytes.length + 1 + value.length + 1;
    int length = body + Integer.toString(body).length();
    if (Integer.toString(length).length() != Integer.toString(body).length()) {
      length++;
    }
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes((length + " " + key + "=").getBytes(StandardCharsets.UTF_8));
    record.writeBytes(value);
    record.write('\n');
    return record.toByteArray();
  }

  /** The finished, uncompressed tar. */
  byte[] tar() {
    try {
      tar.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] data) {
    return compress(data, out -> new GZIPOutputStream(out));
  }

  static byte[] zstd(byte[] data) {
    return compress(data, out -> new ZstdOutputStream(out));
  }

  private interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] data, Compressor compressor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream compressed = compressor.wrap(out)) {
      compressed.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
