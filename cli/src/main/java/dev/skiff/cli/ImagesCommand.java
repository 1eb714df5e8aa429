package dev.skiff.cli;

import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.store.ImageRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "images", description = "List the images in the store.")
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
    return 0;
  }
}
