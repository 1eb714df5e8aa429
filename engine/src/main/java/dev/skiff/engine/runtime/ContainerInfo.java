package dev.skiff.engine.runtime;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A container of this machine's store as {@code skiff ps} lists it, whichever process runs it: read from its
 * directory, so it is a snapshot.
 *
 * @param command the command line it runs
 * @param pid the host's pid of its PID 1, once started
 * @param exitCode once it has exited and its launcher reported how (128 + signal when killed)
 * @param ports published ports, as the runtime recorded them
 * @param detached whether it outlives the JVM that started it ({@code skiff run -d})
 * @param oomKilled whether the kernel's OOM killer killed a process of it for exceeding its memory limit
 */
public record ContainerInfo(String id, String name, String image, List<String> command, Instant created,
    Status status, OptionalLong pid, OptionalInt exitCode, List<Port> ports, boolean detached, boolean oomKilled) {

  /** Where a container is in its life. */
  public enum Status { CREATED, RUNNING, EXITED }

  /** A published port: {@code 127.0.0.1:hostPort} on the host forwards to {@code containerPort}. */
  public record Port(String protocol, int containerPort, int hostPort) {}

  public ContainerInfo {
    command = List.copyOf(command);
    ports = List.copyOf(ports);
  }

  /** The first 12 hex digits of the id. */
  public String shortId() {
    return id.substring(0, 12);
  }
}
