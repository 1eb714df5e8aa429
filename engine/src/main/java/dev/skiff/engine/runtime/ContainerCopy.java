package dev.skiff.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Copies files into and out of a container as tar streams. The launcher unpacks and packs them inside the
 * container's root, so a symlink in the container (say {@code /evil -> /etc}) resolves to the container's
 * {@code /etc}, never the host's; on the host side, entries are written only below the chosen path, never through
 * a symlink.
 */
final class ContainerCopy {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private ContainerCopy() {}

  /** Something to copy into a container, to {@code containerPath} (the path it gets there). */
  sealed interface Source {
    String containerPath();
  }

  /** A host file or directory tree, modes, owners and times kept. */
  record HostFiles(Path path, String containerPath) implements Source {
    HostFiles {
      path = path.toAbsolutePath();
      containerPath = destination(containerPath);
      if (!Files.exists(path, NOFOLLOW)) {
        throw new IllegalArgumentException("Cannot copy " + path + " into a container: it does not exist");
      }
    }
  }

  /** Bytes as a file owned by root, with {@code mode} (e.g. {@code 0644}). */
  record Content(byte[] bytes, String containerPath, int mode) implements Source {
    Content {
      bytes = bytes.clone();
      containerPath = destination(containerPath);
      if ((mode & ~07777) != 0) {
        throw new IllegalArgumentException("File mode " + Integer.toOctalString(mode) + " for " + containerPath
            + " has bits beyond 07777; pass e.g. 0644");
      }
    }
  }

  private static String destination(String containerPath) {
    if (containerPath == null || !containerPath.startsWith("/") || containerPath.matches("/+")) {
      throw new IllegalArgumentException("A copy's destination must be an absolute path in the container below /,"
          + " e.g. /etc/app.conf, not '" + containerPath + "'");
    }
    for (String part : containerPath.split("/")) {
      if (part.equals("..")) {
        throw new IllegalArgumentException("A copy's destination may not contain '..': " + containerPath);
      }
    }
    return containerPath;
  }

  /** Writes {@code sources} as one tar, entries named by their container paths (without the leading /). */
  static void writeArchive(List<Source> sources, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    for (Source source : sources) {
      String name = source.containerPath().replaceAll("^/+", "").replaceAll("/+$", "");
      if (source instanceof Content c) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(c.mode());
        e.setSize(c.bytes().length);
        e.setModTime(FileTime.fromMillis(System.currentTimeMillis()));
        tar.putArchiveEntry(e);
        tar.write(c.bytes());
        tar.closeArchiveEntry();
      } else {
        addTree(tar, ((HostFiles) source).path(), name);
      }
    }
    tar.finish();
    out.flush();
  }

  private static void addTree(TarArchiveOutputStream tar, Path root, String name) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        String entryName = rel.isEmpty() ? name : name + "/" + rel;
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
        TarArchiveEntry e;
        if (Files.isSymbolicLink(p)) {
          e = new TarArchiveEntry(entryName, TarConstants.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, NOFOLLOW)) {
          e = new TarArchiveEntry(entryName + "/", TarConstants.LF_DIR);
        } else if (Files.isRegularFile(p, NOFOLLOW)) {
          e = new TarArchiveEntry(entryName, TarConstants.LF_NORMAL);
          e.setSize(Files.size(p));
        } else {
          continue; // devices, fifos and sockets are not copied
        }
        e.setMode((Integer) a.get("mode") & 07777);
        e.setUserId((Integer) a.get("uid"));
        e.setGroupId((Integer) a.get("gid"));
        e.setModTime((FileTime) a.get("lastModifiedTime"));
        tar.putArchiveEntry(e);
        if (e.getSize() > 0) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
    }
  }

  /** Unpacks {@code sources} into the running container whose PID 1 is {@code pid}. */
  static void toContainer(ExecLauncher launcher, long pid, List<Source> sources) throws IOException,
      InterruptedException {
    ContainerLogs logs = new ContainerLogs();
    CompletableFuture<Void> written = new CompletableFuture<>();
    LauncherSpec spec = asRoot(new LauncherSpec().put("builtin", "copy-in"));
    String what = "copy into " + sources.stream().map(Source::containerPath).toList();
    run(launcher, (s, attach, l) -> launcher.start(pid, s, attach, l), spec, logs, what, process -> {
      launcher.runtime().io().execute(() -> logs.buffer(ContainerLogs.Stream.STDERR).pump(process.getErrorStream()));
      launcher.runtime().io().execute(() -> {
        try (OutputStream in = process.getOutputStream()) {
          writeArchive(sources, in);
          written.complete(null);
        } catch (IOException | RuntimeException e) {
          written.completeExceptionally(e);
        }
      });
    });
    await(written, launcher.container(), what);
  }

  /**
   * Packs {@code containerPath} in the running container whose PID 1 is {@code runningPid}, or else over the files
   * of the container, which does not run, and unpacks it as {@code hostPath}.
   */
  static void fromContainer(ExecLauncher launcher, OptionalLong runningPid, String containerPath, Path hostPath)
      throws IOException, InterruptedException {
    ContainerLogs logs = new ContainerLogs();
    CompletableFuture<Void> unpacked = new CompletableFuture<>();
    Path target = hostPath.toAbsolutePath();
    Files.createDirectories(target.getParent());
    LauncherSpec spec = asRoot(new LauncherSpec().put("builtin", "copy-out").put("arg", containerPath));
    String what = "copy of " + containerPath + " to " + target;
    Start start = runningPid.isPresent() ? (s, attach, l) -> launcher.start(runningPid.getAsLong(), s, attach, l)
        : launcher::startOverFiles;
    run(launcher, start, spec, logs, what, process -> {
      ContainerExec.closeQuietly(process.getOutputStream());
      launcher.runtime().io().execute(() -> logs.buffer(ContainerLogs.Stream.STDERR).pump(process.getErrorStream()));
      launcher.runtime().io().execute(() -> {
        try (InputStream out = process.getInputStream()) {
          unpack(out, target);
          out.transferTo(OutputStream.nullOutputStream());
          unpacked.complete(null);
        } catch (IOException | RuntimeException e) {
          unpacked.completeExceptionally(e);
        }
      });
    });
    await(unpacked, launcher.container(), what);
  }

  /** Builtins run as the container's root, with its capabilities. */
  private static LauncherSpec asRoot(LauncherSpec spec) {
    return spec.put("uid", "0").put("gid", "0");
  }

  /** Starts a copy's launcher: in a running container, or over the files of one that does not run. */
  @FunctionalInterface
  private interface Start {
    LauncherSession start(LauncherSpec spec, Consumer<Process> attach, ContainerLogs logs) throws IOException;
  }

  private static void run(ExecLauncher launcher, Start start, LauncherSpec spec, ContainerLogs logs, String what,
      Consumer<Process> attach) throws IOException, InterruptedException {
    LauncherSession session;
    try {
      session = start.start(spec, attach, logs);
    } catch (ContainerStartException e) {
      throw new ContainerException("The " + what + " in container " + launcher.container() + " failed: " + e.call()
          + " " + e.path() + " failed (errno " + e.errno() + ")" + hint(e), e);
    }
    try {
      int code = ContainerExec.awaitExit(session, ExecSpec.DEFAULT_TIMEOUT.multipliedBy(10), launcher.container(),
          what);
      if (code != 0) {
        throw new ContainerException("The " + what + " in container " + launcher.container() + " ended with status "
            + code + ": " + logs.stderr().strip());
      }
    } finally {
      session.close();
    }
  }

  private static String hint(ContainerStartException e) {
    return switch (e.errno()) {
      case 2 -> ": no such file or directory in the container.";
      case 20 -> ": a part of the path is not a directory in the container.";
      case 21 -> ": a directory is in the way in the container.";
      case 28 -> ": the container's file system is full.";
      default -> ".";
    };
  }

  private static void await(CompletableFuture<Void> done, String container, String what) throws IOException,
      InterruptedException {
    try {
      done.get();
    } catch (ExecutionException e) {
      throw new ContainerException("The " + what + " in container " + container + " failed: " + e.getCause(),
          e.getCause());
    }
  }

  /**
   * Writes the archive of a copy-out, whose entries are {@code .} and {@code ./RELATIVE}, as {@code target}. Owners
   * are not kept (the files belong to this process's user, as with {@code docker cp}); modes and times are.
   */
  static void unpack(InputStream in, Path target) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
    List<TarArchiveEntry> dirs = new ArrayList<>();
    List<Path> dirPaths = new ArrayList<>();
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      Path dest = inside(target, e.getName());
      if (e.isDirectory()) {
        if (!Files.isDirectory(dest, NOFOLLOW)) {
          Files.deleteIfExists(dest);
          Files.createDirectory(dest);
        }
        dirs.add(e);
        dirPaths.add(dest);
        continue;
      }
      if (Files.isDirectory(dest, NOFOLLOW)) {
        throw new IOException("Cannot write " + e.getName() + " as " + dest + ": a directory is in the way");
      }
      Files.deleteIfExists(dest);
      if (e.isSymbolicLink()) {
        Files.createSymbolicLink(dest, Path.of(e.getLinkName()));
      } else if (e.isFile()) {
        Files.copy(tar, dest);
        Files.setPosixFilePermissions(dest, permissions(e.getMode()));
        Files.setLastModifiedTime(dest, e.getLastModifiedTime());
      }
    }
    // Directory modes last, deepest first: a read-only directory would refuse its own entries.
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Files.setPosixFilePermissions(dirPaths.get(i), permissions(dirs.get(i).getMode()));
      Files.setLastModifiedTime(dirPaths.get(i), dirs.get(i).getLastModifiedTime());
    }
  }

  /** The host path of an entry: below {@code target}, through real directories only. */
  private static Path inside(Path target, String name) throws IOException {
    String rel = name.replaceAll("^\\./?", "").replaceAll("/+$", "");
    if (rel.isEmpty()) {
      return target;
    }
    Path dest = target;
    String[] parts = rel.split("/+");
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals("..") || parts[i].equals(".") || parts[i].isEmpty()) {
        throw new IOException("The container sent an archive entry that leaves " + target + ": " + name);
      }
      if (!Files.isDirectory(dest, NOFOLLOW)) {
        throw new IOException("The container sent " + name + " below " + dest + ", which is not a directory");
      }
      dest = dest.resolve(parts[i]);
    }
    return dest;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }
}
