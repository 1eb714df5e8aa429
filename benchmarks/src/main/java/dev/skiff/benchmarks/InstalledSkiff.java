package dev.skiff.benchmarks;

import dev.skiff.engine.fs.TreeDeleter;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Skiff's jars the way its users have them: installed in a local Maven repository, so that a user's project (the
 * examples) builds alone, as it would with Skiff from Maven Central, instead of as part of Skiff's own reactor. The
 * repository is this benchmark's own, made from the user's: its jars and poms hard-linked (no copy, no download), the
 * resolver's bookkeeping files copied, so that nothing this benchmark does writes into the user's repository.
 */
final class InstalledSkiff {
  /** What Maven's resolver rewrites in place; everything else in a local repository is only ever added or read. */
  private static final List<String> REWRITTEN = List.of("_remote.repositories", ".properties", ".lastUpdated",
      "maven-metadata");

  private InstalledSkiff() {}

  /**
   * Makes {@code repository} from {@code userRepository} (afresh: what an earlier run left is deleted) and installs
   * the modules the examples need into it, built from {@code root} without their tests.
   *
   * @throws IOException when the user's repository is missing, or the install fails (with its output's end)
   */
  static Path install(Path root, Path userRepository, Path repository, String mvn, Path log)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(userRepository)) {
      throw new IOException("No local Maven repository at " + userRepository + ": build Skiff once (./dev test) so"
          + " that its dependencies are there, or pass --maven-repository DIR");
    }
    TreeDeleter.delete(repository);
    linkTree(userRepository, repository);
    MavenSuite install = new MavenSuite("Skiff install", root, List.of("-pl", "examples", "-am",
        "-Dmaven.repo.local=" + repository, "-DskipTests"), Optional.empty(), Map.of());
    install.run(mvn, "install", log);
    return repository;
  }

  /** Hard links of every file of {@code from} under {@code to}, but copies of the files Maven rewrites. */
  static void linkTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path target = to.resolve(from.relativize(file).toString());
        String name = file.getFileName().toString();
        if (!attrs.isRegularFile() || REWRITTEN.stream().anyMatch(name::contains)) {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        } else {
          Files.createLink(target, file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
