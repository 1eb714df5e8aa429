package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.skiff.benchmarks.measure.MachineDescription;
import dev.skiff.benchmarks.measure.Samples;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PullReportTest {
  private static final MachineDescription MACHINE =
      new MachineDescription(2, 24L << 30, "0.50 0.40 0.30", "Linux 6.1 amd64", "Some CPU, 2 GHz", "17.0.9",
          "20.10.24");

  private static Samples seconds(double... values) {
    return new Samples(java.util.Arrays.stream(values).mapToObj(v -> Duration.ofMillis((long) (v * 1000))).toList());
  }

  private static PullReport report(List<PullResult> results, Optional<String> dockerMissing) {
    return new PullReport(LocalDate.of(2025, 3, 7), "127.0.0.1:55000", 3, 1, 0.5, MACHINE, results,
        List.of("Set up by hand."), dockerMissing);
  }

  private final PullResult fast = new PullResult("library/postgres:15", 130L << 20,
      seconds(2.0, 2.5, 2.2), Optional.of(seconds(5.0, 6.0, 5.8)));
  private final PullResult slow = new PullResult("library/redis:7.0", 40L << 20,
      seconds(2.0, 2.0, 2.0), Optional.of(seconds(3.0, 3.0, 3.0)));

  @Test
  void verdictComparesTheRatioOfMediansWithTheTarget() {
    assertThat(fast.ratio()).hasValueSatisfying(r -> assertThat(r).isCloseTo(2.2 / 5.8, offset(1e-9)));
    assertThat(fast.verdict(0.5)).isEqualTo("PASS");
    assertThat(slow.verdict(0.5)).isEqualTo("MISS");
    assertThat(slow.verdict(0.7)).isEqualTo("PASS");
  }

  @Test
  void textShowsOneRowPerImageWithMediansRatioAndVerdict() {
    String text = report(List.of(fast, slow), Optional.empty()).text();
    assertThat(text).contains("page cache", "interleaved", "Set up by hand.");
    assertThat(text.lines().filter(l -> l.startsWith("postgres:15"))).singleElement().satisfies(row -> assertThat(row)
        .contains("130.0 MiB", "2.20 s (2.00–2.50)", "5.80 s (5.00–6.00)", "0.38", "≤ 0.50", "PASS"));
    assertThat(text.lines().filter(l -> l.startsWith("redis:7.0"))).singleElement()
        .satisfies(row -> assertThat(row).contains("0.67", "MISS"));
  }

  @Test
  void withoutDockerTheTableHasOnlySkiffAndOneLineSaysWhy() {
    PullResult alone = new PullResult("library/redis:7.0", 40L << 20, seconds(1.0), Optional.empty());
    String text = report(List.of(alone), Optional.of("no --docker-host was given")).text();
    assertThat(text).contains("No docker comparison: no --docker-host was given")
        .doesNotContain("interleaved", "docker pull");
    assertThat(text.lines().filter(l -> l.startsWith("image"))).singleElement()
        .satisfies(header -> assertThat(header).doesNotContain("docker", "result"));
  }

  @Test
  void csvHasRawSecondsEverySampleAndTheMachineOnEachRow() {
    List<String> lines = report(List.of(fast, slow), Optional.empty()).csv().lines().toList();
    assertThat(lines).hasSize(3);
    List<String> header = List.of(lines.get(0).split(","));
    List<String> row = List.of(lines.get(1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
    assertThat(row).hasSameSizeAs(header);
    assertThat(row.get(header.indexOf("image"))).isEqualTo("library/postgres:15");
    assertThat(row.get(header.indexOf("compressed_bytes"))).isEqualTo(Long.toString(130L << 20));
    assertThat(row.get(header.indexOf("skiff_samples_s"))).isEqualTo("2.000 2.500 2.200");
    assertThat(row.get(header.indexOf("docker_median_s"))).isEqualTo("5.800");
    assertThat(row.get(header.indexOf("result"))).isEqualTo("PASS");
    assertThat(row.get(header.indexOf("kernel"))).isEqualTo("Linux 6.1 amd64");
    assertThat(row.get(header.indexOf("cpu"))).isEqualTo("\"Some CPU, 2 GHz\"");
  }

  @Test
  void markdownHasTheTableAndTheMachine() {
    String md = report(List.of(fast), Optional.empty()).markdown();
    assertThat(md).startsWith("# Pull benchmark, 2025-03-07")
        .contains("| image | compressed | Skiff | docker | Skiff/docker | target | result |")
        .contains("| postgres:15 | 130.0 MiB |")
        .contains("- cpus: 2", "- docker: 20.10.24");
  }
}
