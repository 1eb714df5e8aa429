package dev.skiff.cli;

import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.SnapshotRecord;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "images", description = "List the images in the store, and the snapshots of initialised containers"
    + " on them.")
final class ImagesCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-q", "--quiet"}, description = "Print only the references.")
  private boolean quiet;

  @Override
  public Integer call() throws Exception {
    var images = root.engine().images();
    if (quiet) {
      images.forEach(i -> System.out.println(i.reference()));
      return 0;
    }
    String format = "%-50s %-14s %-12s %6s %10s%n";
    System.out.printf(format, "IMAGE", "DIGEST", "PLATFORM", "LAYERS", "SIZE");
    for (ImageRecord i : images) {
      System.out.printf(format, ImageReference.parse(i.reference()).familiarName(), i.manifestDigest().shortHex(),
          i.platform(), i.layers().size(), Sizes.human(i.compressedSize()));
    }
    if (images.isEmpty()) {
      System.out.println("(none — try 'skiff pull IMAGE')");
    }
    var snapshots = root.engine().store().snapshots().list();
    if (!snapshots.isEmpty()) {
      String row = "%-14s %-50s %-14s %-20s %-20s %10s  %s%n";
      System.out.printf("%n" + row, "SNAPSHOT", "IMAGE", "IMAGE DIGEST", "CREATED", "LAST USED", "SIZE", "ENV");
      for (SnapshotRecord s : snapshots) {
        Instant lastUsed;
        try {
          lastUsed = root.engine().store().snapshots().lastUsed(s.key());
        } catch (NoSuchFileException e) {
          continue; // removed meanwhile
        }
        System.out.printf(row, s.key().substring(0, 12), ImageReference.parse(s.image()).familiarName(),
            s.baseManifest().shortHex(), s.created().truncatedTo(ChronoUnit.SECONDS),
            lastUsed.truncatedTo(ChronoUnit.SECONDS), Sizes.human(s.size()), s.inputs().getOrDefault("env", ""));
      }
    }
    return 0;
  }
}
