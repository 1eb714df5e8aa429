package dev.skiff.engine.cgroup;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An amount of memory in bytes, parsed as {@code docker run -m} takes it: {@code 512m}, {@code 1g}, {@code 1.5G}. */
public final class MemorySize implements Comparable<MemorySize> {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmgt]?)(?:i?b)?",
      Pattern.CASE_INSENSITIVE);
  private static final String UNITS = "bkmgt";

  private final long bytes;

  private MemorySize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("A memory size cannot be negative: " + bytes + " bytes");
    }
    this.bytes = bytes;
  }

  public static MemorySize ofBytes(long bytes) {
    return new MemorySize(bytes);
  }

  public static MemorySize ofMebibytes(long mebibytes) {
    return new MemorySize(Math.multiplyExact(mebibytes, 1L << 20));
  }

  /**
   * Parses a number with an optional binary unit: {@code b}, {@code k}, {@code m}, {@code g} or {@code t}, in either
   * case, optionally followed by {@code b} or {@code ib} ({@code 64m}, {@code 64MB}, {@code 64MiB} are 64 × 2^20
   * bytes, as Docker reads them); no unit means bytes. A fraction is rounded down to whole bytes.
   *
   * @throws IllegalArgumentException when {@code text} is not such a size
   */
  public static MemorySize parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a memory size; write a number with an optional unit"
          + " b, k, m, g or t, e.g. 512m or 1g");
    }
    int power = m.group(2).isEmpty() ? 0 : UNITS.indexOf(m.group(2).toLowerCase(Locale.ROOT));
    BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(10 * power));
    try {
      return new MemorySize(value.toBigInteger().longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a memory size", e);
    }
  }

  public long bytes() {
    return bytes;
  }

  /** The size in the largest binary unit that shows it exactly, e.g. {@code 16 MiB}, {@code 1536 KiB}. */
  @Override
  public String toString() {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    long v = bytes;
    int u = 0;
    while (v != 0 && v % 1024 == 0 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return v + " " + units[u];
  }

  @Override
  public int compareTo(MemorySize other) {
    return Long.compare(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemorySize other && other.bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bytes);
  }
}
