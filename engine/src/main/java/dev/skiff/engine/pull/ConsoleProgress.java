package dev.skiff.engine.pull;

import dev.skiff.engine.hash.Digest;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a pull on a terminal as one line rewritten in place: layers done, bytes and rate. Use
 * {@link #forTerminal(PrintStream)} so nothing is printed when the output is not a terminal.
 */
public final class ConsoleProgress implements PullListener {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger layersDone = new AtomicInteger();
  private volatile String image = "";
  private volatile int layers;
  private volatile int cached;
  private volatile long total;
  private volatile long startNanos = System.nanoTime();
  private long lastDraw;

  private ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  /** Progress on {@code out} when this JVM has a terminal, otherwise {@link PullListener#SILENT}. */
  public static PullListener forTerminal(PrintStream out) {
    return System.console() != null ? new ConsoleProgress(out) : SILENT;
  }

  /** Progress on {@code out} regardless of what it is connected to. */
  public static PullListener always(PrintStream out) {
    return new ConsoleProgress(out);
  }

  @Override
  public void started(String image, int layers, long bytes, int cached) {
    this.image = image;
    this.layers = layers;
    this.cached = cached;
    this.total = bytes;
    this.startNanos = System.nanoTime();
    draw(true);
  }

  @Override
  public void downloaded(Digest layer, long n) {
    bytes.addAndGet(n);
    draw(false);
  }

  @Override
  public void layerDone(Digest layer, long size) {
    layersDone.incrementAndGet();
    draw(true);
  }

  @Override
  public void finished(String image, boolean ok) {
    if (layers > 0) {
      draw(true);
      synchronized (this) {
        out.println(ok ? "" : "  failed");
      }
    }
  }

  private synchronized void draw(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
    long got = bytes.get();
    out.printf(Locale.ROOT, "\rPulling %s: %d/%d layers (%d cached), %s of %s, %s/s   ", image,
        layersDone.get() + cached, layers, cached, size(got), size(total), size((long) (got / seconds)));
    out.flush();
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
