package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.Samples;
import java.util.Locale;
import java.util.Optional;

/**
 * One image's figures.
 *
 * @param image as named in the registry, e.g. {@code library/postgres:15}
 * @param compressedBytes the size of its layers as the registry serves them
 * @param docker empty when Docker was not measured
 */
record PullResult(String image, long compressedBytes, Samples skiff, Optional<Samples> docker) {

  /** Skiff's median time over Docker's. */
  Optional<Double> ratio() {
    return docker.map(skiff::ratioTo);
  }

  /** PASS when the ratio is at most {@code target}, MISS above it, n/a without Docker. */
  String verdict(double target) {
    return ratio().map(r -> r <= target ? "PASS" : "MISS").orElse("n/a");
  }

  /** The name without Docker Hub's {@code library/} prefix, e.g. {@code postgres:15}. */
  String shortName() {
    return image.startsWith("library/") ? image.substring("library/".length()) : image;
  }

  /** E.g. {@code 130.2 MiB}. */
  String compressedSize() {
    return String.format(Locale.ROOT, "%.1f MiB", compressedBytes / (double) (1 << 20));
  }
}
