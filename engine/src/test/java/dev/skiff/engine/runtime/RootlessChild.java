package dev.skiff.engine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.network.Network;
import dev.skiff.engine.wait.Wait;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link RootlessIT} as the unprivileged test user. {@code run STORE RUNS.json}: runs each container to its
 * end, prints the results as one JSON line, then forgets every image and prunes the store. {@code hold STORE IMAGE}:
 * starts a container as uid 1000 that writes into its upper dir, prints {@code pid=PID dir=SHORT_ID} once it has,
 * and waits to be killed; the container is on a network, so that a network's holder is killed too. {@code open
 * STORE}: opens an engine (which removes dead JVMs' containers) and closes it. {@code services STORE REDIS BUSYBOX
 * DIR}: pings a redis through a published port, execs in it and copies in and out (to DIR), and prints what each gave
 * as "KEY: VALUE" lines. {@code connect STORE REDIS BUSYBOX EXPOSED HIDDEN}: a busybox reaches a redis on a network
 * by its alias, a busybox reaches the host's port EXPOSED but not HIDDEN, and a stored network is refused; prints
 * "KEY: VALUE" lines too. {@code limits STORE IMAGE}: runs two containers with resource limits and prints
 * "limited: EXIT_CODE OUTPUT" for each. {@code snapshot STORE BUSYBOX}: starts two containers of one snapshot spec
 * ({@link SnapshotIT#database}), changes snapshot files in one, prints what each sees as "KEY: VALUE" lines, then
 * forgets the image, which removes the snapshot.
 */
public final class RootlessChild {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RootlessChild() {}

  public static void main(String[] args) throws Exception {
    EngineConfig config = EngineConfig.builder().store(Path.of(args[1])).build();
    try (Engine engine = Engine.create(config)) {
      switch (args[0]) {
        case "run" -> run(engine, Path.of(args[2]));
        case "hold" -> hold(engine, args[2]);
        case "open" -> { }
        case "services" -> services(engine, args[2], args[3], Path.of(args[4]));
        case "connect" -> connect(engine, args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        case "limits" -> limits(engine, args[2]);
        case "snapshot" -> snapshot(engine, args[2]);
        default -> throw new IllegalArgumentException(Arrays.toString(args));
      }
    }
  }

  private static void run(Engine engine, Path runs) throws Exception {
    List<RootlessRun.Result> results = new ArrayList<>();
    for (RootlessRun r : JSON.readValue(runs.toFile(), RootlessRun[].class)) {
      try (Container c = engine.run(r.spec())) {
        int code = c.waitFor(Duration.ofSeconds(60));
        results.add(new RootlessRun.Result(r.name(), code, c.logs().stdout(), c.logs().stderr()));
      }
    }
    System.out.println(JSON.writeValueAsString(results));
    for (var image : engine.images()) {
      engine.remove(image.reference());
    }
    engine.prune();
  }

  private static void services(Engine engine, String redisImage, String busybox, Path dir) throws Exception {
    try (Container redis = engine.run(ContainerSpec.builder(redisImage).publish(PortBinding.tcp(6379)).build())) {
      System.out.println("ping: " + ping(redis.mappedPort(6379)));
      System.out.println("exec: " + redis.exec("redis-cli", "ping").stdout().strip());
      System.out.println("exec-user: " + redis.exec(ExecSpec.builder("id", "-un").user("redis").build()).stdout()
          .strip());
      System.out.println("exec-tty: " + redis.exec(ExecSpec.builder("tty").tty(true).build()).stdout().strip());
      redis.copyToContainer("copied".getBytes(StandardCharsets.UTF_8), "/data/in.txt", 0640);
      ExecResult in = redis.exec("sh", "-c", "stat -c '%a %u' /data/in.txt; cat /data/in.txt");
      System.out.println("copy-in: " + in.stdout().replace('\n', ' ').strip());
      redis.exec("sh", "-c", "echo out > /data/out.txt && chown redis /data/out.txt");
      redis.copyFromContainer("/data/out.txt", dir.resolve("out.txt"));
      System.out.println("copy-out: " + Files.readString(dir.resolve("out.txt")).strip());
    }
    try (Container exited = engine.run(ContainerSpec.builder(busybox).command("sh", "-c",
        "mkdir /out && echo report > /out/r.txt && chown -R 1000 /out && rm /etc/group").build())) {
      exited.waitFor(Duration.ofSeconds(60));
      exited.copyFromContainer("/", dir.resolve("exited"));
      System.out.println("copy-out-exited: " + Files.readString(dir.resolve("exited/out/r.txt")).strip() + ", group "
          + (Files.exists(dir.resolve("exited/etc/group")) ? "kept" : "deleted") + ", passwd "
          + (Files.exists(dir.resolve("exited/etc/passwd")) ? "kept" : "deleted"));
    }
  }

  private static void connect(Engine engine, String redisImage, String busybox, int exposed, int hidden)
      throws Exception {
    try (Network network = engine.createNetwork("rootless-net");
        Container redis = engine.run(ContainerSpec.builder(redisImage).network(network, "cache")
            .waitingFor(Wait.forListeningPorts(6379)).build())) {
      String ping = "for i in $(seq 100); do r=$(printf 'PING\\r\\n' | nc -w 1 cache 6379) && [ -n \"$r\" ]"
          + " && echo \"$r\" && exit 0; sleep 0.1; done; exit 1";
      System.out.println("network: " + output(engine, ContainerSpec.builder(busybox).command("sh", "-c", ping)
          .network(network).build()));
    }
    String script = "nc host.skiff.internal " + exposed + "; echo \"rc=$?\"; nc host.skiff.internal " + hidden
        + "; echo \"rc=$?\"";
    System.out.println("host-access: " + output(engine, ContainerSpec.builder(busybox).command("sh", "-c", script)
        .exposeHostPorts(exposed).build()));
    try {
      engine.storedNetworks().create("kept");
      System.out.println("stored-network: created");
    } catch (ContainerException e) {
      System.out.println("stored-network: " + e.getMessage());
    }
  }

  /** The container's exit code and output, on one line. */
  private static String output(Engine engine, ContainerSpec spec) throws Exception {
    try (Container c = engine.run(spec)) {
      int code = c.waitFor(Duration.ofSeconds(60));
      return code + " " + (c.logs().stdout() + c.logs().stderr()).strip().replaceAll("\\s*\\n\\s*", " | ");
    }
  }

  private static void limits(Engine engine, String image) throws Exception {
    for (int i = 0; i < 2; i++) {
      try (Container c = engine.run(ContainerSpec.builder(image).command("echo", "hi")
          .memory(dev.skiff.engine.cgroup.MemorySize.parse("32m")).pidsLimit(50).build())) {
        System.out.println("limited: " + c.waitFor(Duration.ofSeconds(60)) + " " + c.logs().stdout().strip());
      }
    }
  }

  private static void snapshot(Engine engine, String busybox) throws Exception {
    ContainerSpec spec = ContainerSpec.builder(busybox).command("sh", "-c", SnapshotIT.INIT)
        .waitingFor(Wait.forLogMessage("READY", 1)).snapshot(true).build();
    try (Container a = engine.run(spec); Container b = engine.run(spec)) {
      String script = "cat /data/initialised; ls -A /home; test -e /bin/vi || echo vi-gone;"
          + " stat -c '%u:%g' /data/dir/file";
      System.out.println("init-ran: " + (a.logs().stdout() + b.logs().stdout()).contains("INIT-RUN"));
      String seenByA = a.exec("sh", "-c", script).stdout();
      System.out.println("same: " + seenByA.equals(b.exec("sh", "-c", script).stdout()));
      System.out.println("view: " + seenByA.lines().skip(1).toList());
      ExecResult changed = a.exec("sh", "-c", "echo more >> /data/dir/file && rm /data/initialised && rm -r /home"
          + " && mkdir /home && touch /home/mine && ls -A /home && stat -c '%u:%g' /data/dir/file");
      System.out.println("changed: " + changed.exitCode() + " " + changed.stdout().lines().toList() + changed.stderr());
      System.out.println("other: " + b.exec("sh", "-c", "cat /data/dir/file; ls -A /home; test -e /data/initialised"
          + " && echo kept").stdout().lines().toList());
    }
    System.out.println("snapshots: " + engine.store().snapshots().list().size());
    engine.remove(busybox);
    System.out.println("after-rmi: " + engine.store().snapshots().list().size());
  }

  /** Redis's answer to PING on 127.0.0.1:PORT, retried while redis starts (the relay resets until it listens). */
  private static String ping(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (;;) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        if (answer != null) {
          return answer;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(50);
    }
  }

  private static void hold(Engine engine, String image) throws Exception {
    Network network = engine.createNetwork("held");
    Container c = engine.run(ContainerSpec.builder(image).user("1000:1000").network(network)
        .command("sh", "-c", "mkdir -p /tmp/by-1000/sub && echo x > /tmp/by-1000/sub/f && chmod 700 /tmp/by-1000"
            + " && echo ready && exec sleep 1000").build());
    while (!c.logs().stdout().contains("ready")) {
      if (!c.isRunning()) {
        throw new IllegalStateException("exited: " + c.logs().stderr());
      }
      Thread.sleep(10);
    }
    System.out.println("pid=" + c.pid() + " dir=" + c.shortId());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
