package dev.skiff.engine.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads tar entries (ustar, PAX, GNU long names) and gives each entry's {@code SCHILY.xattr.*} values as raw bytes.
 *
 * <p>Commons Compress decodes every PAX value as UTF-8, which mangles binary xattrs such as {@code
 * security.capability}. It reads a PAX header's data through this stream's own {@code read} while the current
 * entry is that header, so this class keeps a copy of those bytes and parses the xattrs from them.
 */
final class TarReader extends TarArchiveInputStream {
  private static final String XATTR_PREFIX = "SCHILY.xattr.";

  private final ByteArrayOutputStream paxHeader = new ByteArrayOutputStream();
  private final BlobInputStream blob;
  private final String what;
  private int depth;

  /**
   * Reads {@code tar}, which was decompressed from {@code blob}; failures that are not the blob's own become
   * {@link LayerException}s naming {@code what}.
   */
  TarReader(InputStream tar, BlobInputStream blob, String what) {
    super(tar, StandardCharsets.UTF_8.name());
    this.blob = blob;
    this.what = what;
  }

  @Override
  public TarArchiveEntry getNextEntry() throws IOException {
    // The superclass recurses into this method after reading a PAX header: keep that header for the real entry.
    if (depth == 0) {
      paxHeader.reset();
    }
    depth++;
    try {
      return super.getNextEntry();
    } catch (IOException e) {
      throw blob.readFailure(e, what, null);
    } finally {
      depth--;
    }
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n;
    TarArchiveEntry current = getCurrentEntry();
    try {
      n = super.read(buf, off, len);
    } catch (IOException e) {
      throw blob.readFailure(e, what, current == null ? null : current.getName());
    }
    if (n > 0 && current != null && current.isPaxHeader()) {
      paxHeader.write(buf, off, n);
    }
    return n;
  }

  /** The xattrs of the entry last returned by {@link #getNextEntry()}, by name, values exactly as archived. */
  Map<String, byte[]> xattrs() {
    if (paxHeader.size() == 0) {
      return Map.of();
    }
    byte[] raw = paxHeader.toByteArray();
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    // Records are "<length> <key>=<value>\n", length counting the whole record; Commons Compress has validated them.
    int pos = 0;
    while (pos < raw.length) {
      int space = indexOf(raw, (byte) ' ', pos, raw.length);
      if (space < 0) {
        break;
      }
      int length = parseLength(raw, pos, space);
      int end = pos + length;
      if (length <= space - pos || end > raw.length || raw[end - 1] != '\n') {
        break;
      }
      int equals = indexOf(raw, (byte) '=', space + 1, end);
      if (equals < 0) {
        break;
      }
      String key = new String(raw, space + 1, equals - space - 1, StandardCharsets.UTF_8);
      if (key.startsWith(XATTR_PREFIX)) {
        xattrs.put(key.substring(XATTR_PREFIX.length()), Arrays.copyOfRange(raw, equals + 1, end - 1));
      }
      pos = end;
    }
    return xattrs;
  }

  private static int parseLength(byte[] bytes, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9 || value > (Integer.MAX_VALUE - digit) / 10) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
