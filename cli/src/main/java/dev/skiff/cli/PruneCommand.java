package dev.skiff.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "prune", description = "Remove store content that no image references, and snapshots whose image is"
    + " gone; what containers of the store use stays until they are removed.")
final class PruneCommand implements Callable<Integer> {
  private static final Pattern AGE = Pattern.compile("(\\d+)([dhm]?)");

  @ParentCommand
  private SkiffCommand root;

  @Spec
  private CommandSpec command;

  @Option(names = "--snapshots-unused-for", paramLabel = "AGE", description = "Also remove the snapshots no container"
      + " has started from for AGE (e.g. 7d, 12h, 30m; 0: every snapshot no container uses now).")
  private String snapshotsUnusedFor;

  @Override
  public Integer call() throws Exception {
    var result = snapshotsUnusedFor == null ? root.engine().prune() : root.engine().prune(age(snapshotsUnusedFor));
    System.out.printf("Removed %d blobs, %d layers, %d fixups, %d snapshots, %d leftovers%n", result.blobs(),
        result.layers(), result.fixups(), result.snapshots(), result.temps());
    var kept = result.kept();
    if (kept.containers() > 0) {
      System.out.printf("Kept %d layers, %d fixups, %d snapshots in use by %d containers (skiff ps -a)%n",
          kept.layers(), kept.fixups(), kept.snapshots(), kept.containers());
    }
    return 0;
  }

  private Duration age(String text) {
    Matcher m = AGE.matcher(text);
    if (!m.matches()) {
      throw new ParameterException(command.commandLine(), "'" + text + "' is not an age for"
          + " --snapshots-unused-for: give a number of days, hours or minutes, e.g. 7d, 12h or 30m (0: all unused).");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofDays(n);
    };
  }
}
