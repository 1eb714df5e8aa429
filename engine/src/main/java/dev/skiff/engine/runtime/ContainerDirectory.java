package dev.skiff.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.fs.TreeDeleter;
import dev.skiff.engine.fs.TreeRemover;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container's state on disk, {@code STORE/containers/SHORT_ID/}: {@code container.json} (what it is and which
 * JVM owns it, for listing and for cleaning up after dead JVMs), {@code upper/} and {@code work/} (the overlay's
 * writable layer), {@code rootfs/} (the mount point), the generated {@code hosts}, {@code hostname} and
 * {@code resolv.conf}, and {@code control.sock} while the launcher connects.
 */
final class ContainerDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerDirectory.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Longest path a Unix socket address holds (sun_path minus its NUL). */
  private static final int MAX_SOCKET_PATH = 107;

  private static final String OWNER_STARTED = ProcessStart.of(ProcessHandle.current().pid());

  private final Path dir;
  private final TreeRemover remover;
  private ObjectNode unwritten; // container.json until its first update: a new container is described at once

  private ContainerDirectory(Path dir, TreeRemover remover) {
    this.dir = dir;
    this.remover = remover;
  }

  /**
   * Creates the directory of a new container; fails if the short id is taken (the caller picks another).
   *
   * @throws FileAlreadyExistsException when another container has this short id
   */
  static ContainerDirectory create(Path containers, TreeRemover remover, String id, String name, String image,
      Map<String, String> labels) throws IOException {
    Path dir = containers.resolve(id.substring(0, 12));
    Files.createDirectory(dir);
    ContainerDirectory d = new ContainerDirectory(dir, remover);
    if (d.controlSocket().toString().length() > MAX_SOCKET_PATH) {
      TreeDeleter.delete(dir);
      throw new ContainerException("The store path " + containers.getParent() + " is too long for the container's"
          + " control socket (" + d.controlSocket() + " exceeds " + MAX_SOCKET_PATH + " bytes); point skiff.store at"
          + " a shorter directory.");
    }
    ObjectNode json = JSON.createObjectNode()
        .put("id", id)
        .put("name", name)
        .put("image", image)
        .put("created", Instant.now().toString())
        .put("ownerPid", ProcessHandle.current().pid())
        .put("ownerStarted", OWNER_STARTED);
    labels.forEach(json.putObject("labels")::put);
    d.unwritten = json; // until then the directory counts as being created (see ownerAlive)
    for (String sub : List.of("upper", "work", "rootfs")) {
      Files.createDirectory(dir.resolve(sub));
    }
    return d;
  }

  Path path() {
    return dir;
  }

  Path upper() {
    return dir.resolve("upper");
  }

  Path work() {
    return dir.resolve("work");
  }

  Path rootfs() {
    return dir.resolve("rootfs");
  }

  Path controlSocket() {
    return dir.resolve("control.sock");
  }

  /** The container's output, for readers other than its JVM ({@code skiff logs}). */
  Path log(ContainerLogs.Stream stream) {
    return dir.resolve(stream == ContainerLogs.Stream.STDOUT ? "stdout.log" : "stderr.log");
  }

  /** Written by the launcher when the container ends: its "exited\tCODE" or "killed\tSIGNAL" line. */
  Path exitFile() {
    return dir.resolve("exit");
  }

  /** Rewrites container.json with {@code change} applied; atomic for readers. */
  synchronized void update(java.util.function.Consumer<ObjectNode> change) throws IOException {
    ObjectNode json = unwritten != null ? unwritten
        : (ObjectNode) JSON.readTree(dir.resolve("container.json").toFile());
    change.accept(json);
    Path temp = dir.resolve("container.json.tmp");
    Files.write(temp, JSON.writeValueAsBytes(json));
    Files.move(temp, dir.resolve("container.json"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    unwritten = null;
  }

  /** Opens the directory of an existing container; {@code remover} deletes it. */
  static ContainerDirectory of(Path dir, TreeRemover remover) {
    return new ContainerDirectory(dir, remover);
  }

  /** container.json as a tree. */
  JsonNode read() throws IOException {
    return JSON.readTree(dir.resolve("container.json").toFile());
  }

  /** Writes the files to copy in before start as one archive, which the launcher unpacks in the container. */
  Path stageCopies(List<ContainerCopy.Source> copies) throws IOException {
    Path archive = dir.resolve("copy-in.tar");
    try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(archive))) {
      ContainerCopy.writeArchive(copies, out);
    }
    return archive;
  }

  /** Writes /etc/hosts, /etc/hostname and /etc/resolv.conf for the container; returns them by container path. */
  Map<String, Path> writeEtcFiles(String hostname) throws IOException {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t" + hostname
        + "\n");
    Path hostnameFile = dir.resolve("hostname");
    Files.writeString(hostnameFile, hostname + "\n");
    Path resolv = dir.resolve("resolv.conf");
    Files.writeString(resolv, resolvConf());
    return Map.of("/etc/hosts", hosts, "/etc/hostname", hostnameFile, "/etc/resolv.conf", resolv);
  }

  /** The host's resolver settings without loopback name servers, which the container cannot reach. */
  private static String resolvConf() {
    StringBuilder sb = new StringBuilder();
    try {
      for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"), StandardCharsets.UTF_8)) {
        String t = line.trim();
        boolean loopback = t.startsWith("nameserver") && (t.contains(" 127.") || t.contains(" ::1"));
        if (!loopback && !t.startsWith("#") && !t.isEmpty()) {
          sb.append(t).append('\n');
        }
      }
    } catch (IOException e) {
      LOG.debug("No /etc/resolv.conf to copy into containers: {}", e.toString());
    }
    return sb.toString();
  }

  /** Deletes everything; the container's mounts vanished with its mount namespace. */
  void delete() throws IOException {
    remover.remove(dir);
  }

  /**
   * Deletes the directories of containers whose JVM has died, after detaching any mount left under them.
   *
   * @return how many were removed
   */
  static int removeStale(Path containers, TreeRemover remover) throws IOException {
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(containers)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        if (!ownerAlive(dir)) {
          stale.add(dir);
        }
      }
    }
    for (Path dir : stale) {
      LOG.info("Removing {}, left by a JVM that is gone", dir);
      detachMountsUnder(dir);
      removeCgroup(dir);
      remover.remove(dir);
    }
    return stale.size();
  }

  /** The launcher killed the container when its JVM died, so its cgroups empty out. */
  private static void removeCgroup(Path dir) {
    try {
      ContainerRecords.cgroup(JSON.readTree(dir.resolve("container.json").toFile())).remove();
    } catch (NoSuchFileException e) {
      // never described: it made no cgroup
    } catch (IOException e) {
      LOG.warn("Cannot remove the cgroups of {}, left by a dead container: {}", dir, e.getMessage());
    }
  }

  private static boolean ownerAlive(Path dir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve("container.json"));
    } catch (NoSuchFileException e) {
      // Created but not yet described: only a crash leaves it so for long.
      return Files.getLastModifiedTime(dir).toInstant().isAfter(Instant.now().minusSeconds(60));
    }
    var json = JSON.readTree(bytes);
    if (json.path("detached").asBoolean()) {
      return true; // it outlives its JVM by design and is removed by skiff rm
    }
    return ProcessHandle.of(json.path("ownerPid").asLong(-1))
        .map(h -> ProcessStart.of(h.pid()).equals(json.path("ownerStarted").asText()))
        .orElse(false);
  }

  private static void detachMountsUnder(Path dir) throws IOException {
    String prefix = dir.toString() + "/";
    List<String> targets = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      // mountinfo writes space, tab, newline and backslash as octal escapes
      String mountPoint = f.length > 4 ? EscapedText.decode(f[4], '\\', 3, 8) : "";
      if (mountPoint.startsWith(prefix)) {
        targets.add(mountPoint);
      }
    }
    targets.sort((a, b) -> b.length() - a.length()); // deepest first
    for (String target : targets) {
      String error = Syscalls.detachMount(target);
      if (error != null) {
        LOG.warn("Cannot unmount {}, left by a dead container: {}", target, error);
      }
    }
  }
}
