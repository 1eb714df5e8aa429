package dev.skiff.cli;

import dev.skiff.engine.Engine;
import dev.skiff.engine.cgroup.MemorySize;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerLogs;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.runtime.PortBinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Run a command in a new container, print its output and exit with its exit code."
    + " The container is removed when it ends (or when skiff is interrupted).")
final class RunCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set a variable; KEY alone copies skiff's.")
  private List<String> env = new ArrayList<>();

  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
  private String workdir;

  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "name, uid or uid:gid")
  private String user;

  @Option(names = "--name")
  private String name;

  @Option(names = {"-h", "--hostname"})
  private String hostname;

  @Option(names = "--entrypoint", paramLabel = "PROGRAM")
  private String entrypoint;

  @Option(names = {"-p", "--publish"}, paramLabel = "[HOSTPORT:]CONTAINERPORT[/udp]",
      description = "Publish a container port on the host's 127.0.0.1, on HOSTPORT or a free port (repeatable).")
  private List<String> publish = new ArrayList<>();

  @Option(names = "--network", paramLabel = "NETWORK", description = "Join a network made by 'skiff network create'"
      + " (repeatable).")
  private List<String> networks = new ArrayList<>();

  @Option(names = {"--alias", "--network-alias"}, paramLabel = "ALIAS", description = "Another name for the container"
      + " in its networks (repeatable).")
  private List<String> aliases = new ArrayList<>();

  @Option(names = "--rm", description = "Accepted for Docker's sake: attached containers never outlive the command.")
  private boolean rm;

  @Option(names = {"-d", "--detach"}, description = "Start the container in the background and print its id; it"
      + " runs on after skiff exits, until 'skiff stop' or 'skiff rm -f'.")
  private boolean detach;

  @Option(names = "--init", description = "Run an init as PID 1 that reaps zombies and forwards signals.")
  private boolean init;

  @Option(names = {"-m", "--memory"}, paramLabel = "SIZE",
      description = "Limit the container's memory, e.g. 512m or 1g (at least 6m); no swap beyond it.")
  private String memory;

  @Option(names = "--cpus", paramLabel = "N", description = "Limit CPU time to N CPUs' worth, e.g. 0.5.")
  private Double cpus;

  @Option(names = "--pids-limit", paramLabel = "N", description = "Limit the container to N processes and threads.")
  private Long pidsLimit;

  @Option(names = {"-i", "--interactive"}, description = "Pass skiff's stdin to the container.")
  private boolean interactive;

  @Option(names = {"-t", "--tty"}, description = "Give the container a pseudo-terminal (with -i and a terminal:"
      + " an interactive session in raw mode, e.g. skiff run -it busybox sh).")
  private boolean tty;

  @Parameters(index = "0", paramLabel = "IMAGE")
  private String image;

  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "replaces the image's Cmd")
  private List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    ContainerSpec.Builder spec = ContainerSpec.builder(image);
    if (!command.isEmpty()) {
      spec.command(command.toArray(String[]::new));
    }
    if (entrypoint != null) {
      spec.entrypoint(entrypoint);
    }
    EnvOptions.apply(env, spec::env);
    if (workdir != null) {
      spec.workingDir(workdir);
    }
    if (user != null) {
      spec.user(user);
    }
    if (name != null) {
      spec.name(name);
    }
    if (hostname != null) {
      spec.hostname(hostname);
    }
    for (String binding : publish) {
      spec.publish(PortBinding.parse(binding));
    }
    spec.init(init).tty(tty).stdinOpen(interactive && !detach);
    if (memory != null) {
      spec.memory(MemorySize.parse(memory));
    }
    if (cpus != null) {
      spec.cpus(cpus);
    }
    if (pidsLimit != null) {
      spec.pidsLimit(pidsLimit);
    }
    Engine engine = root.engine();
    if (!aliases.isEmpty() && networks.isEmpty()) {
      throw new IllegalArgumentException("--alias names the container in its networks; give a --network too");
    }
    for (String network : networks) {
      spec.network(engine.storedNetworks().open(network), aliases.toArray(String[]::new));
    }
    if (detach) {
      Container container = engine.create(spec.detached(true).build());
      container.start();
      System.out.println(container.id());
      return 0;
    }
    // Ctrl-C ends the JVM; closing the engine then stops and removes the container.
    Thread cleanup = new Thread(engine::close, "skiff-run-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (Container container = engine.create(spec.build())) {
      if (tty) {
        // The launcher, not this JVM, holds the terminal: it sets raw mode and follows SIGWINCH in C, and restores
        // the terminal however the session ends, even when this JVM is killed with -9, which stty run from here
        // could not promise; the terminal's bytes pass unbuffered, prompts without newlines included.
        container.startAttached();
      } else {
        container.logs().follow(ContainerLogs.Stream.STDOUT, System.out::println);
        container.logs().follow(ContainerLogs.Stream.STDERR, System.err::println);
        container.start();
        if (interactive) {
          Thread stdin = new Thread(() -> forward(System.in, container.stdin()), "skiff-run-stdin");
          stdin.setDaemon(true); // it may block in read() after the container has ended
          stdin.start();
        }
      }
      int exit = container.waitFor(Duration.ofDays(3650));
      System.out.flush();
      if (container.oomKilled()) {
        MemorySize limit = container.spec().resources().memory().orElseThrow();
        System.err.println("skiff: container " + container.name() + " was killed for exceeding its memory limit of "
            + limit + " (-m " + memory + "); give it more with a larger -m, e.g. -m " + option(limit.bytes() * 2));
      }
      return exit;
    } finally {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  /** {@code bytes} as a -m value: 32m, 2g. */
  private static String option(long bytes) {
    for (String unit : List.of("g", "m", "k")) {
      long size = 1L << (10 * ("kmg".indexOf(unit) + 1));
      if (bytes % size == 0) {
        return bytes / size + unit;
      }
    }
    return Long.toString(bytes);
  }

  /** Copies {@code in} to the container's stdin as it arrives, then closes it (its end of input). */
  private static void forward(InputStream in, OutputStream stdin) {
    byte[] buf = new byte[8192];
    try (stdin) {
      int n;
      while ((n = in.read(buf)) > 0) {
        stdin.write(buf, 0, n);
        stdin.flush();
      }
    } catch (IOException e) {
      // the container has ended: what it read is what it gets
    }
  }
}
