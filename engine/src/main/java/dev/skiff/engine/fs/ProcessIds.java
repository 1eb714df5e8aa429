package dev.skiff.engine.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's effective user and group ids, read from {@code /proc/self/status}: asking libc through jnr-ffi
 * would load and compile its whole binding (~0.3 s and ~300 classes) in every JVM that merely runs containers.
 */
public final class ProcessIds {
  private static final long[] IDS = read();

  private ProcessIds() {}

  /** The effective uid. */
  public static long effectiveUid() {
    return IDS[0];
  }

  /** The effective gid. */
  public static long effectiveGid() {
    return IDS[1];
  }

  private static long[] read() {
    try {
      return parse(Files.readString(Path.of("/proc/self/status")));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read /proc/self/status to learn this process's uid and gid", e);
    }
  }

  /** The effective uid and gid in a {@code /proc/PID/status} text ({@code Uid:\treal\teffective\tsaved\tfs}). */
  static long[] parse(String status) {
    long[] ids = {-1, -1};
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:") || line.startsWith("Gid:")) {
        ids[line.startsWith("Uid:") ? 0 : 1] = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
      }
    }
    if (ids[0] < 0 || ids[1] < 0) {
      throw new IllegalStateException("/proc/self/status lacks its Uid: or Gid: line");
    }
    return ids;
  }
}
