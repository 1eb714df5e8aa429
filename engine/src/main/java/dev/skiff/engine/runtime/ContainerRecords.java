package dev.skiff.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.cgroup.ContainerCgroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What container.json tells processes other than a container's JVM: its command, stop signal and exec defaults
 * (written at create), its PID 1 (at start), and how it is doing now.
 */
final class ContainerRecords {
  private ContainerRecords() {}

  /** Records what another process needs to list, stop and exec into the container. */
  static void describe(ContainerDirectory dir, List<String> argv, int stopSignal, ExecDefaults exec)
      throws IOException {
    dir.update(json -> {
      strings(json.putArray("command"), argv);
      json.put("stopSignal", stopSignal);
      ObjectNode e = json.putObject("exec");
      ProcessSettings p = exec.process();
      strings(e.putArray("env"), p.env());
      e.put("cwd", p.workingDir()).put("uid", p.identity().uid()).put("gid", p.identity().gid())
          .put("home", p.identity().home()).put("hostname", p.hostname());
      p.identity().groups().forEach(e.putArray("groups")::add);
      e.put("upper", exec.upper().toString());
      strings(e.putArray("layers"), exec.layersTopFirst().stream().map(Path::toString).toList());
    });
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  static ExecDefaults execDefaults(JsonNode json) {
    JsonNode e = json.path("exec");
    List<Integer> groups = new ArrayList<>();
    e.path("groups").forEach(g -> groups.add(g.asInt()));
    ImageUsers.Identity identity = new ImageUsers.Identity(e.path("uid").asInt(), e.path("gid").asInt(), groups,
        e.path("home").asText("/"));
    ProcessSettings process = new ProcessSettings(strings(json.path("command")), strings(e.path("env")),
        e.path("cwd").asText("/"), identity, e.path("hostname").asText());
    return new ExecDefaults(process, Path.of(e.path("upper").asText()),
        strings(e.path("layers")).stream().map(Path::of).toList());
  }

  /** The container in {@code dir} as it is now. */
  static ContainerInfo info(ContainerDirectory dir) throws IOException {
    JsonNode json = dir.read();
    OptionalLong pid = json.has("pid") ? OptionalLong.of(json.path("pid").asLong()) : OptionalLong.empty();
    OptionalInt exitCode = exitCode(dir.exitFile());
    ContainerInfo.Status status;
    if (pid.isEmpty()) {
      status = ContainerInfo.Status.CREATED;
    } else if (exitCode.isEmpty() && alive(pid.getAsLong(), json.path("pidStarted").asText())) {
      status = ContainerInfo.Status.RUNNING;
    } else {
      status = ContainerInfo.Status.EXITED;
    }
    List<ContainerInfo.Port> ports = new ArrayList<>();
    json.path("ports").forEach(p -> ports.add(new ContainerInfo.Port(p.path("protocol").asText("tcp"),
        p.path("container").asInt(), p.path("host").asInt())));
    return new ContainerInfo(json.path("id").asText(), json.path("name").asText(), json.path("image").asText(),
        strings(json.path("command")), Instant.parse(json.path("created").asText(Instant.EPOCH.toString())), status,
        pid, exitCode, ports, json.path("detached").asBoolean(),
        status == ContainerInfo.Status.EXITED && oomKilled(json));
  }

  /** Records the container's cgroups (before they are made: what a crash leaves is found so). */
  static void recordCgroups(ContainerDirectory dir, List<Path> cgroups) throws IOException {
    dir.update(json -> strings(json.putArray("cgroups"), cgroups.stream().map(Path::toString).toList()));
  }

  static ContainerCgroup cgroup(JsonNode json) {
    return ContainerCgroup.of(strings(json.path("cgroups")).stream().map(Path::of).toList());
  }

  /** Whether the OOM killer struck the container: as recorded, else as its cgroup (if still there) counts. */
  private static boolean oomKilled(JsonNode json) {
    try {
      return json.path("oomKilled").asBoolean() || cgroup(json).oomKilled();
    } catch (IOException e) {
      return false; // removed just now, with the container
    }
  }

  /**
   * Once the container has ended: records whether the OOM killer struck it, then removes its cgroups.
   *
   * @return whether the OOM killer struck
   */
  static boolean releaseCgroup(ContainerDirectory dir) throws IOException {
    JsonNode json = dir.read();
    boolean oomKilled = oomKilled(json);
    if (oomKilled && !json.path("oomKilled").asBoolean()) {
      dir.update(j -> j.put("oomKilled", true));
    }
    cgroup(json).remove();
    return oomKilled;
  }

  static int stopSignal(ContainerDirectory dir) throws IOException {
    return dir.read().path("stopSignal").asInt(Signals.SIGTERM);
  }

  /** Whether {@code pid} is still the process that started at {@code started}, not a later one with its pid. */
  static boolean alive(long pid, String started) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(h -> ProcessStart.of(h.pid()).equals(started)).orElse(false);
  }

  private static OptionalInt exitCode(Path exitFile) throws IOException {
    String line;
    try {
      line = Files.readString(exitFile, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return OptionalInt.empty();
    }
    String[] f = line.split("\t");
    if (f.length != 2 || !f[1].matches("\\d+")) {
      return OptionalInt.empty();
    }
    int n = Integer.parseInt(f[1]);
    return OptionalInt.of(f[0].equals("killed") ? 128 + n : n);
  }
}
