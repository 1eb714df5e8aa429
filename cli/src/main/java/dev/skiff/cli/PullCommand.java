package dev.skiff.cli;

import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.pull.ConsoleProgress;
import dev.skiff.engine.pull.PullListener;
import dev.skiff.engine.pull.PullPolicy;
import dev.skiff.engine.store.ImageRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pull", description = "Pull images into the store (always asks the registry, unless --policy says otherwise).")
final class PullCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "e.g. redis:7.0 or 127.0.0.1:5000/app@sha256:…")
  private List<String> images;

  @Option(names = {"-q", "--quiet"}, description = "Print only the digests.")
  private boolean quiet;

  @Option(names = "--policy", description = "always (default here), missing or never.", defaultValue = "always")
  private String policy;

  @Override
  public Integer call() throws Exception {
    PullPolicy pullPolicy = PullPolicy.parse(policy);
    for (String image : images) {
      ImageReference ref = ImageReference.parse(image);
      PullListener progress = quiet ? PullListener.SILENT : ConsoleProgress.forTerminal(System.err);
      ImageRecord record = root.engine().pull(ref, pullPolicy, progress);
      if (quiet) {
        System.out.println(record.manifestDigest());
      } else {
        System.out.printf("%s: %s (%d layers, %s)%n", ref.familiarName(), record.manifestDigest(),
            record.layers().size(), Sizes.human(record.compressedSize()));
      }
    }
    return 0;
  }
}
