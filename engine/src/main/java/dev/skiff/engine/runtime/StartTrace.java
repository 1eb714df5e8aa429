package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Timestamps of a container's steps for benchmarks: with {@code SKIFF_TRACE=FILE} in the environment, the JVM and the
 * launchers it starts (which inherit the variable) append {@code NANOS NAME PID} lines to FILE, all on the monotonic
 * clock of {@link System#nanoTime()}. Off, it costs one branch.
 */
final class StartTrace {
  private static final FileChannel FILE = open(System.getenv("SKIFF_TRACE"));
  private static final long PID = ProcessHandle.current().pid();

  private StartTrace() {}

  private static FileChannel open(String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    try {
      return FileChannel.open(Path.of(path), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      return null; // a benchmark aid: no trace then
    }
  }

  /** Notes that the step {@code what} (e.g. {@code start.spawned}) is done now. */
  static void mark(String what) {
    if (FILE == null) {
      return;
    }
    String line = System.nanoTime() + " jvm." + what + " " + PID + "\n";
    try {
      FILE.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      // a benchmark aid: a lost line is no failure
    }
  }
}
