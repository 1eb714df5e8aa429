package dev.skiff.engine.runtime;

import dev.skiff.engine.cgroup.CgroupPlan;
import dev.skiff.engine.cgroup.Cgroups;
import dev.skiff.engine.cgroup.ContainerCgroup;
import dev.skiff.engine.cgroup.ResourceLimits;
import dev.skiff.engine.fs.TreeRemover;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.network.Membership;
import dev.skiff.engine.network.NetworkNamespaces;
import dev.skiff.engine.store.ContainerUse;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.store.StoreLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns pulled images into containers: an overlay of the image's layers plus a writable layer per container, run by
 * the skiff-launcher in new PID, mount, UTS, IPC and network namespaces, and for a user other than root inside the
 * engine's {@link UserNamespace}. Containers live under {@code STORE/containers/}; opening a runtime removes those
 * whose JVM died. Closing it removes its containers and ends its user namespace.
 */
public final class ContainerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerRuntime.class);
  private static final SecureRandom IDS = new SecureRandom();
  private static final AtomicInteger SERVERS = new AtomicInteger();

  private final ImageStore store;
  private final Path containers;
  private final Optional<UserNamespace> userNamespace;
  private final Trash trash;
  private final Set<Container> live = ConcurrentHashMap.newKeySet();
  private final Set<CompletableFuture<?>> exiting = ConcurrentHashMap.newKeySet();
  private final ExecutorService io;
  private volatile LauncherBinary launcher;
  private LauncherServer server; // forks container launchers; guarded by this
  private final NetworkHolders networks;
  private final StoredContainers stored;
  private final Cgroups cgroups;
  private final Snapshots snapshots;

  private ContainerRuntime(ImageStore store, Path containers, Optional<UserNamespace> userNamespace,
      TreeRemover remover) throws IOException {
    this.store = store;
    this.containers = containers;
    this.userNamespace = userNamespace;
    this.networks = new NetworkHolders(this, store.root().resolve("networks"));
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "skiff-container-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.trash = Trash.open(store.root().resolve("trash"), remover, io);
    this.stored = new StoredContainers(this, containers, trash);
    this.cgroups = Cgroups.forThisProcess(userNamespace.isPresent());
    this.snapshots = new Snapshots(this, store, userNamespace.isPresent());
  }

  /** Opens the runtime over {@code store}, removing what containers of dead JVMs left there. */
  public static ContainerRuntime open(ImageStore store) throws IOException {
    return open(store, UserNamespace.forCurrentUser(store.root().resolve("bin")));
  }

  /**
   * Opens the runtime over {@code store}, removing what containers of dead JVMs left there.
   *
   * @param userNamespace what containers run in when this process is not root; empty for root
   */
  public static ContainerRuntime open(ImageStore store, Optional<UserNamespace> userNamespace) throws IOException {
    Path containers = store.root().resolve("containers");
    Files.createDirectories(containers);
    TreeRemover remover = userNamespace.<TreeRemover>map(u -> u).orElse(TreeRemover.PLAIN);
    int removed = ContainerDirectory.removeStale(containers, remover);
    if (removed > 0) {
      LOG.info("Removed {} container(s) left by JVMs that are gone", removed);
    }
    return new ContainerRuntime(store, containers, userNamespace, remover);
  }

  /**
   * Creates (but does not start) a container of {@code image}, whose config is {@code config}. A
   * {@linkplain ContainerSpec#snapshot() snapshot} spec's container is stacked on its snapshot, which a seed container
   * builds first when the store has none.
   *
   * @throws ContainerException when this process may not run containers, or the spec does not fit the image
   */
  public Container create(ContainerSpec spec, ImageRecord image, ImageConfig config) throws IOException {
    StartTrace.mark("create.begin");
    // A prune keeps what container.json records: none may run between finding the layers and recording them.
    try (StoreLock creating = store.sharedUse()) {
      return createUnderLock(spec, image, config);
    }
  }

  private Container createUnderLock(ContainerSpec spec, ImageRecord image, ImageConfig config) throws IOException {
    Optional<Path> snapshot = spec.snapshot() ? snapshots.lowerFor(spec, image, config) : Optional.empty();
    List<Path> layersTopFirst = new ArrayList<>(store.rootfsLayers(image));
    java.util.Collections.reverse(layersTopFirst);
    snapshot.ifPresent(files -> layersTopFirst.add(0, files));
    String id = null;
    ContainerDirectory dir = null;
    for (int attempt = 0; dir == null; attempt++) {
      id = newId();
      try {
        dir = ContainerDirectory.create(containers, trash, id, spec.name().orElse(id.substring(0, 12)), spec.image(),
            spec.labels());
      } catch (FileAlreadyExistsException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
    StartTrace.mark("create.dir");
    List<Membership> memberships = new ArrayList<>();
    try {
      ImageUsers users = ImageUsers.read(layersTopFirst);
      StartTrace.mark("create.users");
      ProcessSettings process = ProcessSettings.resolve(spec, config, users, id.substring(0, 12));
      ImageUsers.Identity identity = runnable(process.identity(), spec.image());
      LauncherSpec launch = inUserNamespace(new LauncherSpec())
          .put("rootfs", dir.rootfs().toString())
          .overlay(store.root(), layersTopFirst, dir.upper(), dir.work())
          .put("hostname", process.hostname())
          .process(process.argv(), process.env(), process.workingDir(), identity);
      Map<String, Path> etcFiles = dir.writeEtcFiles(process.hostname());
      StartTrace.mark("create.etc");
      for (Map.Entry<String, Path> etc : etcFiles.entrySet()) {
        launch.bind(etc.getValue(), etc.getKey(), false);
      }
      PortRelay.configure(launch, spec, config, etcFiles.get("/etc/hosts"));
      String name = spec.name().orElse(id.substring(0, 12));
      joinNetworks(spec, name, etcFiles.get("/etc/hosts"), launch, memberships);
      for (ContainerSpec.Mount m : spec.mounts()) {
        if (m.type() == ContainerSpec.Mount.Type.BIND) {
          if (!Files.exists(m.source().get())) {
            throw new ContainerException("The bind mount source " + m.source().get() + " (for " + m.target()
                + ") does not exist on this host; create it first.");
          }
          launch.bind(m.source().get(), m.target(), m.readOnly());
        } else {
          launch.tmpfs(m.target(), m.options(), m.readOnly());
        }
      }
      if (!spec.copies().isEmpty() && snapshot.isEmpty()) { // a snapshot holds them already
        launch.put("copyin", dir.stageCopies(spec.copies()).toString());
      }
      if (spec.init()) {
        launch.put("init", "1");
      }
      if (spec.tty()) {
        launch.tty(spec.ttySize());
      }
      if (spec.detached()) {
        launch.put("detached", "1");
      }
      launch.put("exit.file", dir.exitFile().toString());
      int stopSignal = config.stopSignal().map(Signals::parse).orElse(Signals.SIGTERM);
      ExecDefaults execDefaults = new ExecDefaults(process, dir.upper(), layersTopFirst);
      StartTrace.mark("create.spec");
      ContainerRecords.describe(dir, process.argv(), stopSignal, execDefaults);
      StartTrace.mark("create.described");
      Container c = new Container(id, name, spec, config, stopSignal, dir, launch, memberships, this, execDefaults,
          spec.detached());
      live.add(c);
      return c;
    } catch (IOException | RuntimeException e) {
      leave(memberships);
      dir.delete();
      throw e;
    }
  }

  /** {@code spec} with the user namespace's maps, for a launcher that starts or joins a container rootless. */
  private LauncherSpec inUserNamespace(LauncherSpec spec) {
    return userNamespace.map(u -> u.map().addTo(spec)).orElse(spec);
  }

  /**
   * The identity as this runtime can give it: rootless, its uid and gid must be mapped; supplementary groups that
   * are not are left out (a single-id map allows none, as setgroups is denied there).
   *
   * @param what the image or container, for the message
   */
  ImageUsers.Identity runnable(ImageUsers.Identity identity, String what) throws ContainerException {
    if (userNamespace.isEmpty()) {
      return identity;
    }
    UserNamespaceMap map = userNamespace.get().map();
    if (!map.mapsUid(identity.uid()) || !map.mapsGid(identity.gid())) {
      throw new ContainerException("Cannot run " + what + " as uid " + identity.uid() + ", gid " + identity.gid()
          + " rootless: this user's namespace maps only container ids 0 to " + (map.uidCount() - 1)
          + (map.singleId() ? " (it has no subordinate ids; grant some in /etc/subuid and /etc/subgid, e.g. 'sudo"
              + " usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + System.getProperty("user.name")
              + "', and install newuidmap (package uidmap))" : " (grant a larger range in /etc/subuid and"
              + " /etc/subgid)") + ", or run it as root with ContainerSpec.Builder.user(\"0\").");
    }
    List<Integer> groups = map.singleId() ? List.of()
        : identity.groups().stream().filter(g -> map.mapsGid(g)).toList();
    return new ImageUsers.Identity(identity.uid(), identity.gid(), groups, identity.home());
  }

  /** Joins the spec's networks: names the container in their members' hosts files and tells the launcher. */
  private static void joinNetworks(ContainerSpec spec, String name, Path hostsFile, LauncherSpec launch,
      List<Membership> memberships) throws IOException {
    java.util.Map<String, String> subnets = new java.util.HashMap<>();
    for (ContainerSpec.NetworkJoin join : spec.networks()) {
      String other = subnets.putIfAbsent(join.network().subnet(), join.network().name());
      if (other != null) {
        throw new ContainerException("Container " + name + " cannot join both network " + other + " and network "
            + join.network().name() + ": both use " + join.network().subnet() + "; join only one, or recreate one");
      }
      Membership m = join.network().join(name, join.aliases(), hostsFile);
      memberships.add(m);
      launch.put("network", m.namespace().toString()).put("network.address", m.addressWithPrefix());
    }
  }

  static void leave(List<Membership> memberships) {
    for (Membership m : memberships) {
      try {
        m.leave();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot remove a container from {}: {}", m.network(), e.toString());
      }
    }
  }

  /** Makes the namespaces of networks with this runtime's launcher. */
  public NetworkNamespaces networkNamespaces() {
    return networks;
  }

  private static String newId() {
    byte[] bytes = new byte[32];
    IDS.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Makes the cgroups of a container that is about to start with {@code limits}, recorded in its container.json
   * first; none (and no cost) without limits.
   */
  ContainerCgroup makeCgroup(String id, String name, ResourceLimits limits, ContainerDirectory dir)
      throws IOException {
    Optional<CgroupPlan> plan = cgroups.plan(id, name, limits);
    if (plan.isEmpty()) {
      return ContainerCgroup.of(List.of());
    }
    ContainerRecords.recordCgroups(dir, plan.get().directories());
    try {
      ContainerCgroup made = plan.get().create();
      if (!made.directories().equals(plan.get().directories())) {
        ContainerRecords.recordCgroups(dir, made.directories());
      }
      return made;
    } catch (IOException e) {
      ContainerCgroup.of(plan.get().directories()).remove();
      throw e;
    }
  }

  LauncherSession launch(Path socket, LauncherSpec spec, ContainerLogs logs, String container,
      LauncherSession.Mode mode) throws IOException {
    LauncherSession.Starter plain = LauncherSession.starter(launcher());
    LauncherSession.Starter starter = (s, m, frame) -> m.forkable()
        ? new LauncherSession.Started(server().spawn(s, frame), true) : plain.start(s, m, frame);
    return LauncherSession.start(starter, socket, mode, spec, logs, io, container);
  }

  /** The launcher server, started on first use and again if it died. */
  private synchronized LauncherServer server() throws IOException {
    if (server == null || !server.alive()) {
      Path socket = store.root().resolve("bin").resolve("server-" + ProcessHandle.current().pid() + "-"
          + SERVERS.incrementAndGet() + ".sock"); // runtimes of one JVM may share the store
      server = LauncherServer.start(launcher(), socket, io);
    }
    return server;
  }

  /**
   * Starts the launcher in exec {@code mode}; {@code attach} gets its process at once, to feed stdin and read
   * output.
   */
  LauncherSession exec(Path socket, LauncherSpec spec, LauncherSession.Mode mode, Consumer<Process> attach,
      ContainerLogs logs, String what) throws IOException {
    LauncherBinary joinsContainer = userNamespace.isPresent() ? userNamespace.get().plainLauncher() : launcher();
    return LauncherSession.start(LauncherSession.starter(joinsContainer), socket, mode, inUserNamespace(spec), attach,
        logs, io, what);
  }

  /**
   * Starts the launcher in exec mode over the files of a container that does not run, for a copy-out: {@code
   * filesTopFirst} (its upper dir, then its layers) mounted read-only at {@code mountPoint} in a mount namespace of
   * the launcher's own, in this runtime's user namespace when it has one.
   */
  LauncherSession execOverFiles(Path socket, List<Path> filesTopFirst, Path mountPoint, LauncherSpec spec,
      Consumer<Process> attach, ContainerLogs logs, String what) throws IOException {
    spec.put("exec.view", "1").put("rootfs", mountPoint.toString()).readOnlyOverlay(store.root(), filesTopFirst);
    return LauncherSession.start(LauncherSession.starter(launcher()), socket, LauncherSession.Mode.EXEC,
        inUserNamespace(spec), attach, logs, io, what);
  }

  /** Whether this runtime's containers run in a user namespace, for a user other than root. */
  boolean rootless() {
    return userNamespace.isPresent();
  }

  Executor io() {
    return io;
  }

  LauncherBinary launcher() throws IOException {
    if (userNamespace.isPresent()) {
      return userNamespace.get().launcher();
    }
    LauncherBinary l = launcher;
    if (l == null) {
      synchronized (this) {
        if (launcher == null) {
          launcher = LauncherBinary.extract(store.root().resolve("bin"));
        }
        l = launcher;
      }
    }
    return l;
  }

  void forget(Container container) {
    live.remove(container);
  }

  /** Makes {@link #close()} wait for {@code exit}: a launcher that was not waited for when its container went. */
  void awaitOnClose(CompletableFuture<?> exit) {
    if (!exit.isDone()) {
      exiting.add(exit);
      exit.whenComplete((x, e) -> exiting.remove(exit));
    }
  }

  /**
   * Every container of the store that has recorded the directories it stacks, whichever process runs it, with
   * those directories: what {@link ImageStore#prune} must keep. Containers of JVMs that died since this runtime
   * opened count until a runtime opens again and removes them.
   */
  public List<ContainerUse> uses() throws IOException {
    return stored.uses();
  }

  /** Every container of the store, newest first, whichever process runs it (for {@code skiff ps}). */
  public List<ContainerInfo> list() throws IOException {
    return stored.list();
  }

  /**
   * The container of the store named {@code idOrName}, or whose id starts with it.
   *
   * @throws ContainerException when there is none, or the id prefix is ambiguous
   */
  public ContainerInfo find(String idOrName) throws IOException {
    return stored.find(idOrName);
  }

  /**
   * Runs {@code spec} in a running container of the store, which another process may own, wiring its stdin (null
   * for none), stdout and stderr to the given streams.
   *
   * @return its exit code; 127 or 126 (with a message on {@code stderr}) when the command cannot be run
   */
  public int exec(ContainerInfo container, ExecSpec spec, InputStream stdin, OutputStream stdout,
      OutputStream stderr) throws IOException, InterruptedException {
    return stored.exec(container, spec, stdin, stdout, stderr);
  }

  /**
   * Runs {@code spec} in a running container of the store on this process's own stdout and stderr, and its stdin
   * when {@code withStdin} (else /dev/null), as {@code skiff exec [-i] [-t]} does. With {@link ExecSpec#tty()} and a
   * terminal as this process's stdin, the launcher puts that terminal into raw mode while the command runs (restoring
   * it however the command or this process ends) and passes its window size changes on.
   *
   * @return its exit code; 127 or 126 (with a message on stderr) when the command cannot be run
   */
  public int execAttached(ContainerInfo container, ExecSpec spec, boolean withStdin) throws IOException,
      InterruptedException {
    return stored.execAttached(container, spec, withStdin);
  }

  /**
   * Copies {@code containerPath} out of a container of the store to {@code hostPath}, as {@link
   * Container#copyFromContainer(String, Path)} does: from inside it while it runs, else from its files.
   */
  public void copyFromContainer(ContainerInfo container, String containerPath, Path hostPath) throws IOException,
      InterruptedException {
    stored.copyFrom(container, containerPath, hostPath);
  }

  /** Copies a host file or tree into a running container of the store, as {@link Container#copyToContainer} does. */
  public void copyToContainer(ContainerInfo container, Path hostFileOrDir, String containerPath) throws IOException,
      InterruptedException {
    stored.copyTo(container, hostFileOrDir, containerPath);
  }

  /** Stops a container of the store as {@link Container#stop(Duration)} does. */
  public Container.StopResult stop(ContainerInfo container, Duration grace) throws IOException,
      InterruptedException {
    return stored.stop(container, grace);
  }

  /**
   * Deletes a container of the store that has ended; {@code force} kills a running one first.
   *
   * @throws ContainerException when it runs and {@code force} is false
   */
  public void remove(ContainerInfo container, boolean force) throws IOException, InterruptedException {
    stored.remove(container, force);
  }

  /** Writes a container's output so far (its first 64 MiB per stream); {@code follow}: until it ends. */
  public void logs(ContainerInfo container, boolean follow, OutputStream stdout, OutputStream stderr)
      throws IOException, InterruptedException {
    stored.logs(container, follow, stdout, stderr);
  }

  /**
   * Removes every container this runtime created that is not removed yet, ends its launcher server, waits until the
   * files of removed containers are deleted, and ends the holder of its user namespace (rootless), which the namespace
   * outlives only while this JVM's networks use it.
   */
  @Override
  public void close() {
    for (Container c : List.copyOf(live)) {
      try {
        c.remove();
      } catch (IOException e) {
        LOG.warn("Cannot remove {}: {}", c, e.getMessage());
      }
    }
    try {
      // the launcher server reports their exits: before it goes
      CompletableFuture.allOf(exiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Container launchers did not exit within 5 s of their containers' removal: {}", e.toString());
    }
    synchronized (this) {
      if (server != null) {
        server.close();
      }
    }
    trash.awaitDeletions(); // before the user namespace that deletes rootless files ends
    userNamespace.ifPresent(UserNamespace::close);
    io.shutdown();
  }
}
