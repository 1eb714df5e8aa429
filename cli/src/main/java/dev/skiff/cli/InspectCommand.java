package dev.skiff.cli;

import dev.skiff.engine.Engine.StoredImage;
import dev.skiff.engine.image.ImageConfig;
import dev.skiff.engine.store.ImageRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", description = "Show a stored image's configuration and layers.")
final class InspectCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Parameters(paramLabel = "IMAGE")
  private String image;

  @Override
  public Integer call() throws Exception {
    StoredImage stored = root.engine().inspect(image).orElse(null);
    if (stored == null) {
      System.err.println("skiff: " + image + " is not in the store; pull it first: skiff pull " + image);
      return 1;
    }
    ImageRecord r = stored.record();
    ImageConfig c = stored.config();
    System.out.println("Reference:    " + r.reference());
    if (!r.source().equals(r.reference())) {
      System.out.println("Pulled from:  " + r.source());
    }
    System.out.println("Manifest:     " + r.manifestDigest());
    r.indexDigest().ifPresent(d -> System.out.println("Index:        " + d));
    System.out.println("Config:       " + r.configDigest());
    System.out.println("Platform:     " + r.platform());
    System.out.println("Pulled at:    " + r.pulledAt());
    System.out.println("Entrypoint:   " + c.entrypoint());
    System.out.println("Cmd:          " + c.cmd());
    System.out.println("WorkingDir:   " + (c.workingDir().isEmpty() ? "/" : c.workingDir()));
    System.out.println("User:         " + (c.user().isEmpty() ? "(root)" : c.user()));
    System.out.println("ExposedPorts: " + c.exposedPorts().stream().sorted().toList());
    c.stopSignal().ifPresent(s -> System.out.println("StopSignal:   " + s));
    c.healthcheck().ifPresent(h -> System.out.println("Healthcheck:  " + h.test()));
    System.out.println("Env:");
    c.env().forEach(e -> System.out.println("  " + e));
    if (!c.labels().isEmpty()) {
      System.out.println("Labels:");
      c.labels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
          .forEach(e -> System.out.println("  " + e.getKey() + "=" + e.getValue()));
    }
    System.out.println("Layers:");
    for (ImageRecord.Layer l : r.layers()) {
      System.out.printf("  %s %10s  %s%n", l.blobDigest(), Sizes.human(l.blobSize()), l.mediaType());
    }
    return 0;
  }
}
