package dev.skiff.engine.runtime;

import dev.skiff.engine.hash.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skiff-launcher executable. Class-path resources lose their exec bit, so it is copied out once, named by its
 * sha256; where that directory is mounted noexec, it runs from a memfd instead. A view {@linkplain #withOption with an
 * option} passes that option first to every launcher it starts.
 */
final class LauncherBinary {
  private static final Logger LOG = LoggerFactory.getLogger(LauncherBinary.class);

  private final byte[] content;
  private final Path file;
  private final AtomicReference<String> memfdPath; // shared by the views
  private final List<String> options;

  private LauncherBinary(byte[] content, Path file, AtomicReference<String> memfdPath, List<String> options) {
    this.content = content;
    this.file = file;
    this.memfdPath = memfdPath;
    this.options = options;
  }

  /** Extracts the launcher for this machine's architecture into {@code dir}, unless an identical copy is there. */
  static LauncherBinary extract(Path dir) throws IOException {
    String resource = "native/skiff-launcher-" + architecture();
    byte[] content;
    try (InputStream in = LauncherBinary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ContainerException("This Skiff build has no container launcher for " + architecture() + " (resource "
            + LauncherBinary.class.getPackageName().replace('.', '/') + "/" + resource + " is missing). Build Skiff on"
            + " this architecture with musl-gcc or gcc installed.");
      }
      content = in.readAllBytes();
    }
    Path file = dir.resolve("skiff-launcher-" + Digest.sha256Of(content).hex());
    if (!Files.isRegularFile(file) || Files.size(file) != content.length) {
      Files.createDirectories(dir);
      Path temp = dir.resolve(".launcher-" + UUID.randomUUID());
      Files.write(temp, content);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r-xr-xr-x"));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(temp); // another JVM extracted the same bytes
      }
    }
    return new LauncherBinary(content, file, new AtomicReference<>(), List.of());
  }

  /** This executable, started with {@code option} before the other arguments, e.g. {@code --userns=PID:INODE}. */
  LauncherBinary withOption(String option) {
    List<String> all = new ArrayList<>(options);
    all.add(option);
    return new LauncherBinary(content, file, memfdPath, List.copyOf(all));
  }

  /** The path to execute: the extracted file, or the memfd once {@link #useMemfd()} was needed. */
  String executable() {
    String memfd = memfdPath.get();
    return memfd != null ? memfd : file.toString();
  }

  /** Switches to a memfd copy after the kernel refused to execute the extracted file (noexec mount). */
  String useMemfd() {
    synchronized (memfdPath) {
      if (memfdPath.get() == null) {
        LOG.warn("{} is on a noexec mount; running the container launcher from memory instead", file.getParent());
        int fd = Syscalls.memfd("skiff-launcher", content);
        // ProcessBuilder closes inherited descriptors, so the child must reach the memfd through this JVM's table.
        memfdPath.set("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
      }
      return memfdPath.get();
    }
  }

  boolean usesMemfd() {
    return memfdPath.get() != null;
  }

  /** Starts {@code command} of the executable's path, from memory if its directory is mounted noexec. */
  Process start(Function<String, ProcessBuilder> command) throws IOException {
    try {
      return withOptions(command.apply(executable())).start();
    } catch (IOException e) {
      if (usesMemfd() || !String.valueOf(e.getMessage()).contains("error=13")) {
        throw new ContainerException("Cannot run the container launcher " + executable() + ": " + e.getMessage(), e);
      }
      return withOptions(command.apply(useMemfd())).start(); // EACCES: its directory is mounted noexec
    }
  }

  private ProcessBuilder withOptions(ProcessBuilder builder) {
    builder.command().addAll(1, options);
    return builder;
  }

  static String architecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "arm64", "aarch64" -> "aarch64";
      default -> arch;
    };
  }
}
