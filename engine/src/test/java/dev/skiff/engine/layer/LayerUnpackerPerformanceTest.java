package dev.skiff.engine.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks a big layer made from the host's /usr/lib and prints how long it took. Opt in with {@code
 * -Dskiff.perf=dir1,dir2,...} (directories under /usr/lib), e.g. {@code -Dskiff.perf=python3.11,python3,postgresql}.
 */
class LayerUnpackerPerformanceTest {
  @TempDir Path tmp;

  @Test
  void unpacksABigLayerQuickly() throws IOException, InterruptedException {
    String dirs = System.getProperty("skiff.perf");
    assumeTrue(dirs != null && !dirs.isBlank(), "opt in with -Dskiff.perf=<dirs under /usr/lib>");
    Path blob = tmp.resolve("layer.tar.gz");
    List<String> command = new ArrayList<>(List.of("tar", "--format=pax", "-czf", blob.toString(), "-C", "/usr/lib"));
    command.addAll(List.of(dirs.split(",")));
    assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();

    for (int run = 1; run <= 3; run++) {
      Path dir = Files.createDirectory(tmp.resolve("run" + run));
      long start = System.nanoTime();
      UnpackedLayer layer;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(blob), 64 * 1024)) {
        layer = new LayerUnpacker(UnpackOptions.forCurrentUser()).unpack(in, dir, "layer of /usr/lib");
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      long files;
      try (Stream<Path> all = Files.walk(dir)) {
        files = all.count();
      }
      System.out.printf(
          "run %d: %d ms for %d MB compressed, %d MB of tar, %d entries%n",
          run, millis, layer.blobSize() >> 20, layer.size() >> 20, files);
    }
  }
}
