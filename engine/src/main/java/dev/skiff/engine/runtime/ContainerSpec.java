package dev.skiff.engine.runtime;

import dev.skiff.engine.cgroup.MemorySize;
import dev.skiff.engine.cgroup.ResourceLimits;
import dev.skiff.engine.network.Network;
import dev.skiff.engine.wait.WaitStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to run: an image and the overrides of its config, as {@code docker run} takes them. Immutable; build one with
 * {@link #builder(String)}.
 *
 * <p>Overrides follow Docker: an {@linkplain Builder#entrypoint entrypoint} override drops the image's Cmd unless a
 * {@linkplain Builder#command command} is given too; {@linkplain Builder#env env} entries replace the image's
 * variables of the same name.
 */
public final class ContainerSpec {
  private final String image;
  private final Optional<List<String>> entrypoint;
  private final Optional<List<String>> command;
  private final Map<String, String> env;
  private final Optional<String> workingDir;
  private final Optional<String> user;
  private final Optional<String> hostname;
  private final Optional<String> name;
  private final Map<String, String> labels;
  private final List<Mount> mounts;
  private final Optional<WaitStrategy> waitStrategy;
  private final Duration startupTimeout;
  private final int startupAttempts;
  private final List<ContainerCopy.Source> copies;
  private final boolean init;
  private final boolean detached;
  private final List<PortBinding> ports;
  private final boolean publishImageExposedPorts;
  private final List<Integer> exposedHostPorts;
  private final List<NetworkJoin> networks;
  private final ResourceLimits resources;
  private final boolean tty;
  private final Optional<TtySize> ttySize;
  private final boolean stdinOpen;
  private final boolean snapshot;

  private ContainerSpec(Builder b) {
    this.image = b.image;
    this.entrypoint = b.entrypoint;
    this.command = b.command;
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.workingDir = b.workingDir;
    this.user = b.user;
    this.hostname = b.hostname;
    this.name = b.name;
    this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.mounts = List.copyOf(b.mounts);
    this.waitStrategy = b.waitStrategy;
    this.startupTimeout = b.startupTimeout;
    this.startupAttempts = b.startupAttempts;
    this.copies = List.copyOf(b.copies);
    this.init = b.init;
    this.detached = b.detached;
    this.ports = List.copyOf(b.ports.values());
    this.publishImageExposedPorts = b.publishImageExposedPorts;
    this.exposedHostPorts = List.copyOf(b.exposedHostPorts);
    this.networks = List.copyOf(b.networks.values());
    this.resources = new ResourceLimits(b.memory, b.memorySwap, b.cpus, b.cpuShares, b.pidsLimit);
    this.tty = b.tty;
    this.ttySize = b.ttySize;
    this.stdinOpen = b.stdinOpen;
    this.snapshot = b.snapshot;
  }

  /** A builder for a container of {@code image}, a reference such as {@code redis:7.0}. */
  public static Builder builder(String image) {
    return new Builder(image);
  }

  /** A builder holding everything this spec holds, to derive another spec from it. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public String image() {
    return image;
  }

  public Optional<List<String>> entrypoint() {
    return entrypoint;
  }

  public Optional<List<String>> command() {
    return command;
  }

  /** Variables set on top of the image's, in the order given. */
  public Map<String, String> env() {
    return env;
  }

  public Optional<String> workingDir() {
    return workingDir;
  }

  /** As Docker's {@code --user}: {@code name}, {@code uid}, {@code name:group} or {@code uid:gid}. */
  public Optional<String> user() {
    return user;
  }

  public Optional<String> hostname() {
    return hostname;
  }

  public Optional<String> name() {
    return name;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public List<Mount> mounts() {
    return mounts;
  }

  /** What {@link Container#start()} waits for before it returns; empty: only for the command to execute. */
  public Optional<WaitStrategy> waitStrategy() {
    return waitStrategy;
  }

  /** How long the wait strategy may take unless it sets its own timeout; 60 s by default. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** How many containers {@code Engine.run} creates and starts before it gives up; 1 by default. */
  public int startupAttempts() {
    return startupAttempts;
  }

  /** Files written into the container before its command starts, in order. */
  List<ContainerCopy.Source> copies() {
    return copies;
  }

  /** Whether an init process is PID 1, reaping zombies and forwarding signals to the command. */
  public boolean init() {
    return init;
  }

  /** Whether the container outlives its JVM once started; see {@link Builder#detached}. */
  public boolean detached() {
    return detached;
  }

  /** The ports to publish on the host's 127.0.0.1, in the order given. */
  public List<PortBinding> ports() {
    return ports;
  }

  /** Whether the image's ExposedPorts are published too (each on a free host port). */
  public boolean publishesImageExposedPorts() {
    return publishImageExposedPorts;
  }

  /** The host's 127.0.0.1 ports the container reaches as {@code host.skiff.internal:PORT}. */
  public List<Integer> exposedHostPorts() {
    return exposedHostPorts;
  }

  /** The networks the container joins, in the order given. */
  public List<NetworkJoin> networks() {
    return networks;
  }

  /** The memory, CPU and pids limits; {@link ResourceLimits#NONE} by default. */
  public ResourceLimits resources() {
    return resources;
  }

  /** Whether the command gets a pseudo-terminal; see {@link Builder#tty}. */
  public boolean tty() {
    return tty;
  }

  /** The pseudo-terminal's initial size; empty: that of this process's terminal when attached to one, else 24x80. */
  public Optional<TtySize> ttySize() {
    return ttySize;
  }

  /** Whether the container's stdin stays open for {@link Container#stdin()}; see {@link Builder#stdinOpen}. */
  public boolean stdinOpen() {
    return stdinOpen;
  }

  /** Whether the container starts from the initialised state of an equal spec; see {@link Builder#snapshot}. */
  public boolean snapshot() {
    return snapshot;
  }

  /**
   * The spec of the seed container whose stopped files become this spec's snapshot: the same files-determining
   * settings, its ports published on any free host port (a wait strategy may probe them), no name, no networks.
   */
  ContainerSpec seedSpec() {
    Builder seed = new Builder(image);
    seed.entrypoint = entrypoint;
    seed.command = command;
    seed.env.putAll(env);
    seed.workingDir = workingDir;
    seed.user = user;
    seed.hostname = hostname;
    seed.labels.putAll(labels);
    seed.waitStrategy = waitStrategy;
    seed.startupTimeout = startupTimeout;
    seed.copies.addAll(copies);
    seed.init = init;
    ports.forEach(p -> seed.publish(p.anyHostPort()));
    seed.publishImageExposedPorts = publishImageExposedPorts;
    seed.exposedHostPorts.addAll(exposedHostPorts);
    return seed.build();
  }

  /** A network to join and the aliases the container has there besides its name. */
  public record NetworkJoin(Network network, List<String> aliases) {
    public NetworkJoin {
      Objects.requireNonNull(network, "network");
      aliases = List.copyOf(aliases);
      for (String alias : aliases) {
        if (!alias.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
          throw new IllegalArgumentException("'" + alias + "' is not a valid network alias (letters, digits, '_', '.',"
              + " '-', at most 63 characters)");
        }
      }
    }
  }

  /** A file system mounted into the container. */
  public record Mount(Type type, Optional<Path> source, String target, boolean readOnly, String options) {
    /** Kinds of mounts. */
    public enum Type { BIND, TMPFS }

    public Mount {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(options, "options");
      requireAbsolute("mount target", target);
      if (type == Type.BIND && source.isEmpty()) {
        throw new IllegalArgumentException("A bind mount onto " + target + " needs a source path on the host");
      }
    }

    /** The host file or directory {@code source} at {@code target}, writable. */
    public static Mount bind(Path source, String target) {
      return new Mount(Type.BIND, Optional.of(source.toAbsolutePath()), target, false, "");
    }

    /** The host file or directory {@code source} at {@code target}, read-only. */
    public static Mount bindReadOnly(Path source, String target) {
      return new Mount(Type.BIND, Optional.of(source.toAbsolutePath()), target, true, "");
    }

    /** An empty in-memory file system at {@code target}; {@code options} as for mount(8), e.g. {@code size=64m}. */
    public static Mount tmpfs(String target, String options) {
      return new Mount(Type.TMPFS, Optional.empty(), target, false, options);
    }
  }

  private static void requireAbsolute(String what, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("The " + what + " must be an absolute path in the container, not '" + path
          + "'");
    }
  }

  /** Builds a {@link ContainerSpec}. */
  public static final class Builder {
    private final String image;
    private Optional<List<String>> entrypoint = Optional.empty();
    private Optional<List<String>> command = Optional.empty();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Optional<String> workingDir = Optional.empty();
    private Optional<String> user = Optional.empty();
    private Optional<String> hostname = Optional.empty();
    private Optional<String> name = Optional.empty();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Mount> mounts = new ArrayList<>();
    private Optional<WaitStrategy> waitStrategy = Optional.empty();
    private Duration startupTimeout = Duration.ofSeconds(60);
    private int startupAttempts = 1;
    private final List<ContainerCopy.Source> copies = new ArrayList<>();
    private boolean init;
    private boolean detached;
    private final Map<PortBinding, PortBinding> ports = new LinkedHashMap<>(); // keyed without fixed host port
    private boolean publishImageExposedPorts;
    private final java.util.Set<Integer> exposedHostPorts = new java.util.LinkedHashSet<>();
    private final Map<Network, NetworkJoin> networks = new LinkedHashMap<>();
    private Optional<MemorySize> memory = Optional.empty();
    private Optional<MemorySize> memorySwap = Optional.empty();
    private OptionalDouble cpus = OptionalDouble.empty();
    private OptionalInt cpuShares = OptionalInt.empty();
    private OptionalLong pidsLimit = OptionalLong.empty();
    private boolean tty;
    private Optional<TtySize> ttySize = Optional.empty();
    private boolean stdinOpen;
    private boolean snapshot;

    private Builder(String image) {
      if (image == null || image.isBlank()) {
        throw new IllegalArgumentException("A container needs an image reference, e.g. busybox:1.35");
      }
      this.image = image;
    }

    private Builder(ContainerSpec spec) {
      this(spec.image);
      entrypoint = spec.entrypoint;
      command = spec.command;
      env.putAll(spec.env);
      workingDir = spec.workingDir;
      user = spec.user;
      hostname = spec.hostname;
      name = spec.name;
      labels.putAll(spec.labels);
      mounts.addAll(spec.mounts);
      waitStrategy = spec.waitStrategy;
      startupTimeout = spec.startupTimeout;
      startupAttempts = spec.startupAttempts;
      copies.addAll(spec.copies);
      init = spec.init;
      detached = spec.detached;
      spec.ports.forEach(this::publish);
      publishImageExposedPorts = spec.publishImageExposedPorts;
      exposedHostPorts.addAll(spec.exposedHostPorts);
      spec.networks.forEach(join -> networks.put(join.network(), join));
      memory = spec.resources.memory();
      memorySwap = spec.resources.memorySwap();
      cpus = spec.resources.cpus();
      cpuShares = spec.resources.cpuShares();
      pidsLimit = spec.resources.pidsLimit();
      tty = spec.tty;
      ttySize = spec.ttySize;
      stdinOpen = spec.stdinOpen;
      snapshot = spec.snapshot;
    }

    /** Replaces the image's Entrypoint (and, as with Docker, its Cmd unless {@link #command} is set too). */
    public Builder entrypoint(String... entrypoint) {
      this.entrypoint = Optional.of(List.of(entrypoint));
      return this;
    }

    /** Replaces the image's Cmd: the arguments after the entrypoint, or the whole command line without one. */
    public Builder command(String... command) {
      this.command = Optional.of(List.of(command));
      return this;
    }

    public Builder env(String name, String value) {
      if (name.isEmpty() || name.contains("=")) {
        throw new IllegalArgumentException("'" + name + "' is not an environment variable name");
      }
      env.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder workingDir(String dir) {
      requireAbsolute("working directory", dir);
      this.workingDir = Optional.of(dir);
      return this;
    }

    /** As Docker's {@code --user}: {@code name}, {@code uid}, {@code name:group} or {@code uid:gid}. */
    public Builder user(String user) {
      this.user = Optional.of(user);
      return this;
    }

    public Builder hostname(String hostname) {
      if (!hostname.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}")) {
        throw new IllegalArgumentException("'" + hostname + "' is not a valid hostname (letters, digits, '.', '-',"
            + " at most 63 characters)");
      }
      this.hostname = Optional.of(hostname);
      return this;
    }

    public Builder name(String name) {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
        throw new IllegalArgumentException("'" + name + "' is not a valid container name ([A-Za-z0-9][A-Za-z0-9_.-]*)");
      }
      this.name = Optional.of(name);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder mount(Mount mount) {
      mounts.add(mount);
      return this;
    }

    /** Makes {@link Container#start()} return only once {@code strategy} says the container is ready. */
    public Builder waitingFor(WaitStrategy strategy) {
      this.waitStrategy = Optional.of(Objects.requireNonNull(strategy, "strategy"));
      return this;
    }

    /** How long the wait strategy may take, unless it sets its own timeout. */
    public Builder startupTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("The startup timeout must be positive, not " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /** How many times {@code Engine.run} tries to create and start the container before it gives up. */
    public Builder startupAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("A container needs at least 1 startup attempt, not " + attempts);
      }
      this.startupAttempts = attempts;
      return this;
    }

    /**
     * Copies a host file or directory tree into the container as {@code containerPath} before its command starts
     * (a directory's content lands in {@code containerPath}); modes, owners and times are kept. The files are read
     * when the container is created.
     */
    public Builder copyIn(Path hostFileOrDir, String containerPath) {
      copies.add(new ContainerCopy.HostFiles(hostFileOrDir, containerPath));
      return this;
    }

    /** Writes {@code content} as the file {@code containerPath}, owned by root, with {@code mode} (e.g. 0644). */
    public Builder copyIn(byte[] content, String containerPath, int mode) {
      copies.add(new ContainerCopy.Content(content, containerPath, mode));
      return this;
    }

    /**
     * Writes the class-path resource {@code resource} (as {@link ClassLoader#getResource} names it, e.g.
     * {@code db/init.sql}) as the file {@code containerPath}, owned by root, with {@code mode}.
     */
    public Builder copyInResource(String resource, String containerPath, int mode) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
          ? Thread.currentThread().getContextClassLoader() : ContainerSpec.class.getClassLoader();
      try (java.io.InputStream in = loader.getResourceAsStream(resource.replaceFirst("^/", ""))) {
        if (in == null) {
          throw new IllegalArgumentException("No class-path resource '" + resource + "' to copy to " + containerPath
              + "; resources are named without a leading slash, relative to the class-path roots.");
        }
        return copyIn(in.readAllBytes(), containerPath, mode);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("Cannot read the class-path resource " + resource, e);
      }
    }

    /**
     * Runs an init process as PID 1, like {@code docker run --init}: it reaps orphaned processes (no zombies pile
     * up), forwards signals to the command and exits with its exit code.
     */
    public Builder init(boolean init) {
      this.init = init;
      return this;
    }

    /**
     * Lets the started container outlive this JVM, as {@code skiff run -d} does: closing the runtime or the JVM's
     * death leaves it running, its output goes to files, and it stays (exited or not) until
     * {@link ContainerRuntime#remove(ContainerInfo, boolean)} or {@code skiff rm} removes it.
     */
    public Builder detached(boolean detached) {
      this.detached = detached;
      return this;
    }

    /**
     * Publishes a container port on the host's 127.0.0.1; after start, {@link Container#mappedPort(int)} tells the
     * host port. A container port is published once per protocol.
     */
    public Builder publish(PortBinding binding) {
      PortBinding key = binding.anyHostPort();
      if (ports.containsKey(key)) {
        throw new IllegalArgumentException("Container port " + key + " is published twice (" + ports.get(key)
            + " and " + binding + "); publish it once.");
      }
      binding.hostPort().ifPresent(host -> ports.values().stream()
          .filter(p -> p.protocol() == binding.protocol() && p.hostPort().equals(binding.hostPort()))
          .findAny()
          .ifPresent(p -> {
            throw new IllegalArgumentException("Host port " + host + " is given to both " + p + " and " + binding);
          }));
      ports.put(key, binding);
      return this;
    }

    /** Publishes each TCP port on a free host port: sugar for {@code publish(PortBinding.tcp(port))}. */
    public Builder exposedPorts(int... tcpPorts) {
      for (int port : tcpPorts) {
        publish(PortBinding.tcp(port));
      }
      return this;
    }

    /** Also publishes the image's ExposedPorts (those not published explicitly), each on a free host port. */
    public Builder publishImageExposedPorts() {
      this.publishImageExposedPorts = true;
      return this;
    }

    /**
     * Lets the container reach the host's 127.0.0.1:PORT as {@code host.skiff.internal:PORT}, for each port given;
     * other host ports stay unreachable. The container cannot listen on these port numbers itself.
     */
    public Builder exposeHostPorts(int... hostPorts) {
      for (int port : hostPorts) {
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("An exposed host port must be within 1..65535, not " + port);
        }
        exposedHostPorts.add(port);
      }
      return this;
    }

    /**
     * Joins {@code network}: its other members reach this container by its {@linkplain #name name} (else its short
     * id) and by each of {@code aliases}, and it reaches them so. A container may join several networks, each once.
     */
    public Builder network(Network network, String... aliases) {
      NetworkJoin join = new NetworkJoin(network, List.of(aliases));
      if (networks.putIfAbsent(network, join) != null) {
        throw new IllegalArgumentException(network + " is joined twice; join it once with all aliases");
      }
      return this;
    }

    /**
     * Limits the memory of the container's processes together, as {@code docker run -m}: beyond it the kernel's OOM
     * killer kills one of them, and {@link Container#oomKilled()} tells so. At least 6 MiB. Swap is not allowed
     * beyond it unless {@link #memorySwap} says so (where the kernel accounts swap). A container with any limit runs
     * in cgroups of its own, which costs its start a few milliseconds; rootless, limits apply only in a delegated
     * cgroup (otherwise the engine warns once and runs containers without them).
     */
    public Builder memory(MemorySize limit) {
      this.memory = Optional.of(limit);
      return this;
    }

    /** Limits memory plus swap, as {@code docker run --memory-swap}; needs {@link #memory}, and at least as much. */
    public Builder memorySwap(MemorySize limit) {
      this.memorySwap = Optional.of(limit);
      return this;
    }

    /** Limits CPU time to {@code cpus} CPUs' worth (a CFS quota per 100 ms period), as {@code docker run --cpus}. */
    public Builder cpus(double cpus) {
      this.cpus = OptionalDouble.of(cpus);
      return this;
    }

    /** The container's CPU weight against other processes, 2 to 262144 (1024 is normal); {@code --cpu-shares}. */
    public Builder cpuShares(int shares) {
      this.cpuShares = OptionalInt.of(shares);
      return this;
    }

    /** Limits how many processes and threads the container has at once, as {@code docker run --pids-limit}. */
    public Builder pidsLimit(long limit) {
      this.pidsLimit = OptionalLong.of(limit);
      return this;
    }

    /**
     * Gives the command a pseudo-terminal as its stdin, stdout and stderr, like {@code docker run -t}: {@code tty}
     * in the container names a {@code /dev/pts/N} of its own devpts, and the logs carry the terminal's output
     * (stderr included, with CRLF line ends) as stdout. {@link Container#resizeTty} changes its size.
     */
    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    /** Gives the command a pseudo-terminal ({@link #tty}) of {@code rows} by {@code cols} characters. */
    public Builder ttySize(int rows, int cols) {
      this.ttySize = Optional.of(new TtySize(rows, cols));
      this.tty = true;
      return this;
    }

    /**
     * Keeps the container's stdin open, like {@code docker run -i}: what is written to {@link Container#stdin()}
     * reaches the command (through its terminal with {@link #tty}). Without it, the command reads /dev/null.
     */
    public Builder stdinOpen(boolean stdinOpen) {
      this.stdinOpen = stdinOpen;
      return this;
    }

    /**
     * Starts the container from the initialised state of an equal spec, for images that initialise their data on
     * first start (databases): the first container of the spec runs as a seed without published host ports fixed or
     * networks, is stopped cleanly once its wait strategy passes, and its files are kept in the store as a snapshot;
     * every later container of an equal spec (in any JVM sharing the store) starts on a copy-on-write view of them,
     * with a private writable layer, so it skips the initialisation but sees nothing any other container wrote.
     *
     * <p>Equal means: the same image manifest, entrypoint, command, environment, user, working directory, hostname
     * and files copied in (paths, modes, contents); name, ports, networks, labels and resource limits do not count.
     * Files copied in are in the snapshot already and are not copied again. A seed that fails or does not exit with
     * 0 when stopped leaves no snapshot: the container then starts the usual way, after a warning. A spec with bind or
     * tmpfs mounts cannot be created with it. {@code SKIFF_SNAPSHOTS=off} (or {@code skiff.snapshots=off}) turns snapshots off everywhere.
     */
    public Builder snapshot(boolean snapshot) {
      this.snapshot = snapshot;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a resource limit is out of range (see {@link ResourceLimits})
     */
    public ContainerSpec build() {
      return new ContainerSpec(this);
    }
  }
}
