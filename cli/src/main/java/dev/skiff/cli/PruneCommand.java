package dev.skiff.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove store content that no image references, and snapshots whose image is"
    + " gone; what containers of the store use stays until they are removed.")
final class PruneCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Override
  public Integer call() throws Exception {
    var result = root.engine().prune();
    System.out.printf("Removed %d blobs, %d layers, %d fixups, %d snapshots, %d leftovers%n", result.blobs(),
        result.layers(), result.fixups(), result.snapshots(), result.temps());
    var kept = result.kept();
    if (kept.containers() > 0) {
      System.out.printf("Kept %d layers, %d fixups, %d snapshots in use by %d containers (skiff ps -a)%n",
          kept.layers(), kept.fixups(), kept.snapshots(), kept.containers());
    }
    return 0;
  }
}
