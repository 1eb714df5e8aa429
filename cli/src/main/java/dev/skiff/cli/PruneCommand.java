package dev.skiff.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove store content that no image references, and snapshots whose image is"
    + " gone.")
final class PruneCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Override
  public Integer call() throws Exception {
    var result = root.engine().prune();
    System.out.printf("Removed %d blobs, %d layers, %d fixups, %d snapshots, %d leftovers%n", result.blobs(),
        result.layers(), result.fixups(), result.snapshots(), result.temps());
    return 0;
  }
}
