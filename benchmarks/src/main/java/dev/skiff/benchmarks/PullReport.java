package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.measure.Samples;
import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.report.Comparison;
import dev.skiff.benchmarks.report.Table;
import dev.skiff.benchmarks.report.Target;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The pull benchmark's results as a terminal table, a markdown page and CSV.
 *
 * @param extraNotes lines the caller adds to the notes, e.g. how the run was set up
 * @param dockerMissing why Docker was not measured, empty when it was
 */
record PullReport(
    LocalDate date,
    String registry,
    int rounds,
    int warmup,
    double target,
    MachineDescription machine,
    List<PullResult> results,
    List<String> extraNotes,
    Optional<String> dockerMissing) {

  PullReport {
    results = List.copyOf(results);
    extraNotes = List.copyOf(extraNotes);
  }

  /** The notes, then the table, as printed at the end of a run. */
  String text() {
    return String.join("\n", notes()) + "\n\n" + table().text();
  }

  /** A page for benchmarks/results: notes, table, machine. */
  String markdown() {
    StringBuilder md = new StringBuilder("# Pull benchmark, " + date + "\n\n");
    notes().forEach(n -> md.append(n).append("\n\n"));
    md.append(table().markdown()).append("\n## Machine\n\n");
    machine.fields().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    return md.toString();
  }

  /** One line per image with raw seconds and every sample, plus the machine, so that runs can be concatenated. */
  String csv() {
    List<String> header = new ArrayList<>(List.of("date", "image", "compressed_bytes", "rounds",
        "skiff_median_s", "skiff_min_s", "skiff_max_s", "skiff_samples_s",
        "docker_median_s", "docker_min_s", "docker_max_s", "docker_samples_s", "ratio", "target", "result"));
    header.addAll(machine.fields().keySet());
    List<List<String>> rows = new ArrayList<>();
    for (PullResult r : results) {
      List<String> row = new ArrayList<>(List.of(date.toString(), r.image(), Long.toString(r.compressedBytes()),
          Integer.toString(rounds)));
      row.addAll(csvSamples(Optional.of(r.skiff())));
      row.addAll(csvSamples(r.docker()));
      row.add(r.ratio().map(PullReport::ratio).orElse(""));
      row.add(ratio(target));
      row.add(r.verdict(target));
      row.addAll(machine.fields().values());
      rows.add(row);
    }
    return new Table(header, rows).csv();
  }

  /** The rows for run.sh's combined summary: scenario 2, one per image, in seconds. */
  List<Comparison> comparisons() {
    return results.stream().map(r -> Comparison.of("2", "cold pull + unpack " + r.shortName(),
        r.skiff().in(Figure.Unit.SECONDS), "docker pull", r.docker().map(d -> d.in(Figure.Unit.SECONDS)),
        Target.ratioAtMost(target))).toList();
  }

  private List<String> notes() {
    boolean withDocker = dockerMissing.isEmpty();
    List<String> notes = new ArrayList<>();
    notes.add("Cold pull + unpack from the registry at " + registry + ": " + count(rounds, "round")
        + " per image after " + warmup + " warm-up" + (withDocker ? ", Skiff and docker interleaved" : "")
        + "; median (min–max) wall-clock seconds.");
    String skiff = "Skiff: Engine.create + engine.pull into a new, empty store each round.";
    notes.add(withDocker ? skiff + " docker: `docker pull` after removing every image from the daemon; the daemon"
        + " runs in network namespace skiff-bench and pulls from its own read-only registry process serving the same"
        + " storage." : skiff);
    notes.add((withDocker ? "Both read" : "Skiff reads") + " the registry's files from the OS page cache (it is not"
        + " dropped between rounds); dirty pages are flushed (sync) before each timed pull.");
    notes.addAll(extraNotes);
    dockerMissing.ifPresent(why -> notes.add("No docker comparison: " + why));
    return notes;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private Table table() {
    boolean withDocker = dockerMissing.isEmpty();
    List<String> header = withDocker
        ? List.of("image", "compressed", "Skiff", "docker", "Skiff/docker", "target", "result")
        : List.of("image", "compressed", "Skiff");
    List<List<String>> rows = new ArrayList<>();
    for (PullResult r : results) {
      List<String> row = new ArrayList<>(List.of(r.shortName(), r.compressedSize(), r.skiff().summary()));
      if (withDocker) {
        row.add(r.docker().map(Samples::summary).orElse("-"));
        row.add(r.ratio().map(PullReport::ratio).orElse("-"));
        row.add("≤ " + ratio(target));
        row.add(r.verdict(target));
      }
      rows.add(row);
    }
    return new Table(header, rows);
  }

  private static List<String> csvSamples(Optional<Samples> samples) {
    return samples
        .map(s -> List.of(csvSeconds(s.median()), csvSeconds(s.min()), csvSeconds(s.max()),
            s.values().stream().map(PullReport::csvSeconds).collect(Collectors.joining(" "))))
        .orElse(List.of("", "", "", ""));
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f", r);
  }

  private static String csvSeconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }
}
