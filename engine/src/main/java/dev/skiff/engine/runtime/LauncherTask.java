package dev.skiff.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the launcher for a file task ({@code skiff-launcher -}, protocol in {@code src/main/native/main.c}). */
final class LauncherTask {
  private LauncherTask() {}

  /**
   * Runs {@code spec} (with its {@code task=} entry) to its end.
   *
   * @param what says what the task does, e.g. {@code "removing /store/containers/ab12"}
   * @throws ContainerException with the failed call, its path and errno
   */
  static void run(LauncherBinary binary, LauncherSpec spec, String what) throws IOException {
    Process process = LauncherSession.launchTask(binary);
    try (OutputStream in = process.getOutputStream()) {
      in.write(spec.frame());
    } catch (IOException e) {
      // the launcher already exited; its report says why
    }
    String report;
    try (InputStream out = process.getInputStream()) {
      report = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    int status;
    try {
      status = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ContainerException("Interrupted while " + what, e);
    }
    if (status != 0) {
      String line = report.lines().filter(l -> l.startsWith("error\t")).findFirst().orElse(null);
      throw line == null
          ? new ContainerException("The launcher failed (status " + status + ") while " + what + ": " + report.strip())
          : failure(what, line);
    }
  }

  /**
   * The launcher's failure while doing {@code what}, from its report line "error\tCALL\tPATH\tERRNO\tMESSAGE" (the
   * path with %XX escapes).
   */
  static ContainerException failure(String what, String line) {
    String[] f = line.split("\t", 5);
    if (f.length < 5) {
      return new ContainerException("The launcher failed while " + what + ": " + line);
    }
    int errno = f[3].matches("\\d+") ? Integer.parseInt(f[3]) : 0;
    String path = EscapedText.decode(f[2], '%', 2, 16);
    String advice = f[1].equals("clone3") ? " " + UserNamespaceSysctls.explain(Path.of("/proc/sys"), errno) : "";
    return new ContainerException("The launcher failed while " + what + ": " + f[1] + " " + path + " failed: " + f[4]
        + " (errno " + errno + ")." + advice);
  }
}
