package dev.skiff.cli;

import dev.skiff.engine.Engine;
import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.lock.ImageLock;
import dev.skiff.engine.lock.LockFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Checks or moves the tags of a lock file, the one the JUnit extension keeps next to the tests. Exits 1 when a tag
 * moved and was not updated, so a build can run it as a check.
 */
@Command(name = "lock", description = {
    "Check the lock file's tags against the registry, lock more images, or move tags to what they name now.",
    "Exits 1 when a locked tag names another image now (run with --update to lock the new one)."})
final class LockCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Tags to lock (default: every tag in the file).")
  private List<String> images = List.of();

  @Option(names = {"-f", "--file"}, description = "The lock file (default: ${DEFAULT-VALUE}).",
      defaultValue = LockFile.DEFAULT_LOCATION)
  private Path file;

  @Option(names = {"-u", "--update"}, description = "Lock each tag to the image it names now.")
  private boolean update;

  @Override
  public Integer call() throws Exception {
    LockFile lockFile = LockFile.at(file);
    List<ImageReference> references = new ArrayList<>();
    if (images.isEmpty()) {
      if (!Files.exists(file)) {
        throw new IllegalArgumentException("There is no lock file at " + file.toAbsolutePath() + ". Name it with"
            + " --file, or lock images into a new one: skiff lock redis:7.0");
      }
      for (String entry : lockFile.entries().keySet()) {
        references.add(ImageReference.parse(entry));
      }
    } else {
      for (String image : images) {
        ImageReference reference = ImageReference.parse(image);
        if (reference.digest().isPresent()) {
          throw new IllegalArgumentException(image + " names a digest, which needs no lock; lock tags, e.g."
              + " redis:7.0");
        }
        references.add(reference);
      }
    }
    Engine engine = root.engine();
    ImageLock lock = new ImageLock(lockFile, engine::currentDigest, update);
    int moved = 0;
    for (ImageReference reference : references) {
      Optional<Digest> before = lockFile.digest(reference.toString());
      ImageLock.Pin pin = lock.pin(reference);
      String tag = reference.familiarName();
      switch (pin.status()) {
        case RECORDED -> System.out.printf("%s: locked to %s%n", tag, pin.digest());
        case LOCKED -> System.out.printf("%s: %s, unchanged%n", tag, pin.digest());
        case UPDATED -> System.out.printf("%s: %s, updated from %s%n", tag, pin.digest(), before.orElseThrow());
        case MOVED -> {
          moved++;
          System.out.printf("%s: %s, MOVED: the tag names %s now%n", tag, pin.digest(), pin.current().orElseThrow());
        }
        case UNCHECKED -> {
          moved++;
          System.out.printf("%s: %s, UNCHECKED: the registry did not say what the tag names now%n", tag, pin.digest());
        }
        default -> throw new IllegalStateException(pin.status() + " for a tag");
      }
    }
    if (moved > 0) {
      System.err.printf("skiff: %d of %d tags in %s differ from the registry or could not be checked. Tests keep using"
          + " the locked images; to lock what the tags name now run: skiff lock --update --file %s%n", moved,
          references.size(), file, file);
      return 1;
    }
    return 0;
  }
}
