package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs several contestants round by round, A B C, B C A, C A B..., so that the machine's drift and each position
 * in a round weigh on all of them alike. Warm-up rounds come first and are not kept.
 */
final class Interleaved {
  /** One try of a contestant: the times of its measures, always the same number in the same order. */
  @FunctionalInterface
  interface Trial {
    List<Duration> run() throws Exception;
  }

  record Contestant(String name, Trial trial) {}

  private Interleaved() {}

  /** Each contestant's samples per measure (in the order its trial returns them), keyed by its name. */
  static Map<String, List<Samples>> run(List<Contestant> contestants, int warmup, int rounds, String label)
      throws Exception {
    Map<String, List<List<Duration>>> kept = new LinkedHashMap<>();
    contestants.forEach(c -> kept.put(c.name(), new ArrayList<>()));
    for (int round = 1 - warmup; round <= rounds; round++) {
      StringBuilder line = new StringBuilder(label + (round < 1 ? " warm-up:" : " round " + round + "/" + rounds + ":"));
      int first = Math.floorMod(round, contestants.size());
      for (int i = 0; i < contestants.size(); i++) {
        Contestant c = contestants.get((first + i) % contestants.size());
        List<Duration> times = c.trial().run();
        line.append("  ").append(c.name()).append(' ')
            .append(times.stream().map(d -> String.format("%.1f", d.toNanos() / 1e6)).collect(Collectors.joining("/")))
            .append(" ms");
        if (round >= 1) {
          kept.get(c.name()).add(times);
        }
      }
      System.out.println(line);
    }
    Map<String, List<Samples>> out = new LinkedHashMap<>();
    kept.forEach((name, tries) -> {
      List<Samples> perMeasure = new ArrayList<>();
      for (int m = 0; m < tries.get(0).size(); m++) {
        int measure = m;
        perMeasure.add(new Samples(tries.stream().map(t -> t.get(measure)).toList()));
      }
      out.put(name, perMeasure);
    });
    return out;
  }
}
