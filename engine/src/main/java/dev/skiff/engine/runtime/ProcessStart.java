package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * When a process started, which tells a live process from a later one that reuses its pid: what
 * {@code ProcessHandle.info().startInstant()} gives (boot time + /proc/PID/stat's start time, in milliseconds), read
 * from that one file; the JDK also reads the command line, the executable and the user's name.
 */
final class ProcessStart {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ, which /proc reports in on every Linux architecture
  private static final long BOOT_MILLIS = bootMillis();

  private ProcessStart() {}

  /** The start of process {@code pid} as an ISO-8601 instant, or "" when it is gone. */
  static String of(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "";
    }
    // The command name (field 2) is in parentheses and may hold spaces; start time is field 22.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    if (BOOT_MILLIS < 0 || f.length < 20) {
      return "";
    }
    return Instant.ofEpochMilli(BOOT_MILLIS + Long.parseLong(f[19]) * 1000 / TICKS_PER_SECOND).toString();
  }

  private static long bootMillis() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("btime ")) {
          return Long.parseLong(line.substring(6).trim()) * 1000;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no /proc: no start times
    }
    return -1;
  }
}
