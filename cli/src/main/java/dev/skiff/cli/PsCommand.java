package dev.skiff.cli;

import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.runtime.ContainerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ps", description = "List running containers of this store, whichever process runs them.")
final class PsCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-a", "--all"}, description = "Also list created and exited containers.")
  private boolean all;

  @Option(names = {"-q", "--quiet"}, description = "Print only the short ids.")
  private boolean quiet;

  @Override
  public Integer call() throws Exception {
    List<ContainerInfo> containers = root.engine().runtime().list().stream()
        .filter(c -> all || c.status() == ContainerInfo.Status.RUNNING).toList();
    if (quiet) {
      containers.forEach(c -> System.out.println(c.shortId()));
      return 0;
    }
    String format = "%-12s   %-30s %-22s %-15s %-24s %-28s %s%n";
    System.out.printf(format, "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
    Instant now = Instant.now();
    for (ContainerInfo c : containers) {
      System.out.printf(format, c.shortId(), familiar(c.image()), command(c.command()),
          ago(Duration.between(c.created(), now)), status(c, now), ports(c.ports()), c.name());
    }
    return 0;
  }

  private static String familiar(String image) {
    try {
      return ImageReference.parse(image).familiarName();
    } catch (IllegalArgumentException e) {
      return image;
    }
  }

  /** Quoted and cut to 20 characters, as docker ps shows it. */
  private static String command(List<String> command) {
    String joined = String.join(" ", command);
    return "\"" + (joined.length() > 20 ? joined.substring(0, 19) + "…" : joined) + "\"";
  }

  private static String status(ContainerInfo c, Instant now) {
    return switch (c.status()) {
      case CREATED -> "Created";
      case RUNNING -> "Up " + human(Duration.between(c.created(), now));
      case EXITED -> (c.exitCode().isPresent() ? "Exited (" + c.exitCode().getAsInt() + ")" : "Exited")
          + (c.oomKilled() ? " OOMKilled" : "");
    };
  }

  private static String ports(List<ContainerInfo.Port> ports) {
    return ports.stream().map(p -> "127.0.0.1:" + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol())
        .collect(Collectors.joining(", "));
  }

  static String ago(Duration d) {
    return human(d) + " ago";
  }

  private static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s <= 1 ? "1 second" : s + " seconds";
    }
    if (s < 3600) {
      return s < 120 ? "1 minute" : s / 60 + " minutes";
    }
    if (s < 86400) {
      return s < 7200 ? "1 hour" : s / 3600 + " hours";
    }
    return s < 172800 ? "1 day" : s / 86400 + " days";
  }
}
