package dev.skiff.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.MachineDescription;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {
  private static Figure ms(double... values) {
    return Figure.of(java.util.Arrays.stream(values).boxed().toList(), Figure.Unit.MILLISECONDS);
  }

  private static final Comparison FAST = Comparison.of("1", "busybox true", ms(20, 25, 30), "Testcontainers",
      Optional.of(ms(1000, 1100, 900)), Target.ratioAtMost(1 / 35.0));
  private static final Comparison SLOW = Comparison.of("1", "busybox true", ms(40), "Testcontainers",
      Optional.of(ms(1000)), Target.ratioAtMost(1 / 35.0));

  @Test
  void ratioTargetPassesAtOrBelowTheLimitAndMissesAbove() {
    assertThat(FAST.ratio()).contains(0.025);
    assertThat(FAST.verdict()).isEqualTo("PASS");
    assertThat(SLOW.verdict()).isEqualTo("MISS");
    assertThat(FAST.target().describe(Figure.Unit.MILLISECONDS)).isEqualTo("≤ 1/35");
    assertThat(Target.ratioAtMost(0.5).describe(Figure.Unit.SECONDS)).isEqualTo("≤ 0.50");
  }

  @Test
  void absoluteTargetNeedsNoAnchor() {
    Figure mib = Figure.of(List.of(28.0), Figure.Unit.MEBIBYTES);
    Comparison row = Comparison.of("4", "RSS", mib, "dockerd", Optional.empty(), Target.skiffAtMost(30));
    assertThat(row.verdict()).isEqualTo("PASS");
    assertThat(row.ratioText()).isEqualTo("-");
    assertThat(row.target().describe(Figure.Unit.MEBIBYTES)).isEqualTo("Skiff ≤ 30 MiB");
  }

  @Test
  void aMissingFigureGivesNoRatioAndNoVerdict() {
    Comparison noAnchor = Comparison.of("3", "redis", ms(100), "Testcontainers", Optional.empty(),
        Target.ratioAtMost(0.25));
    Comparison noSkiff = new Comparison("3", "redis", Figure.Unit.MILLISECONDS, Optional.empty(), "Testcontainers",
        Optional.of(ms(400)), Target.ratioAtMost(0.25));
    assertThat(noAnchor.verdict()).isEqualTo("n/a");
    assertThat(noSkiff.verdict()).isEqualTo("n/a");
    assertThat(noSkiff.ratio()).isEmpty();
  }

  @Test
  void refusesFiguresInAnotherUnitThanTheRow() {
    assertThatThrownBy(() -> new Comparison("4", "RSS", Figure.Unit.MEBIBYTES, Optional.of(ms(1)), "x",
        Optional.empty(), Target.NONE)).hasMessageContaining("MiB").hasMessageContaining("ms");
  }

  @Test
  void rowsSurviveTheRowsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rows");
    Comparison notMeasured = new Comparison("5", "end to end\twith a tab", Figure.Unit.SECONDS, Optional.empty(),
        "suite", Optional.empty(), Target.ratioAtMost(0.2));
    ComparisonFile.append(file, List.of(FAST, SLOW));
    ComparisonFile.append(file, List.of(notMeasured));
    List<Comparison> read = ComparisonFile.read(file);
    assertThat(read).hasSize(3);
    assertThat(read.subList(0, 2)).containsExactly(FAST, SLOW);
    assertThat(read.get(2).what()).isEqualTo("end to end with a tab");
    assertThat(read.get(2).skiff()).isEmpty();
  }

  @Test
  void reportTableShowsEachRowWithItsVerdict() {
    MachineDescription machine = new MachineDescription(2, 0, "1 1 1", "Linux", "cpu", "17", "20.10");
    ComparisonReport report = new ComparisonReport("t", LocalDate.of(2026, 1, 2), List.of("a note"), machine,
        List.of(FAST, new Comparison("3", "redis", Figure.Unit.MILLISECONDS, Optional.empty(), "Testcontainers",
            Optional.of(ms(400)), Target.ratioAtMost(0.25))));
    assertThat(report.text()).startsWith("a note\n\n")
        .contains("busybox true  25.0 ms (20.0–30.0)  Testcontainers  1000 ms (900–1100)  0.025")
        .contains("PASS")
        .contains("redis         not yet measured");
    assertThat(report.csv().lines().toList().get(1))
        .startsWith("2026-01-02,1,busybox true,ms,25.000,20.000,30.000,Testcontainers,1000.000,900.000,1100.000,0.0250,");
    assertThat(report.markdown()).startsWith("# t, 2026-01-02\n\na note\n\n| scenario |").contains("- docker: 20.10");
  }
}
