package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.benchmarks.measure.Figure;
import dev.skiff.benchmarks.measure.Samples;
import dev.skiff.benchmarks.report.Comparison;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EndToEndBenchmarkTest {
  private static Samples seconds(double... values) {
    return new Samples(Arrays.stream(values).mapToObj(s -> Duration.ofMillis(Math.round(s * 1000))).toList());
  }

  private static EndToEndBenchmark parsed(String... args) {
    EndToEndBenchmark benchmark = new EndToEndBenchmark();
    new CommandLine(benchmark).parseArgs(args);
    return benchmark;
  }

  @Test
  void takesFewerRoundsThanTheOtherScenariosUnlessTold() {
    EndToEndBenchmark defaults = parsed();
    assertThat(defaults.roundsOrDefault()).isEqualTo(EndToEndBenchmark.DEFAULT_ROUNDS);
    assertThat(defaults.warmupOrDefault()).isEqualTo(EndToEndBenchmark.DEFAULT_WARMUP);

    EndToEndBenchmark told = parsed("--rounds", "10", "--warmup", "0");
    assertThat(told.roundsOrDefault()).isEqualTo(10);
    assertThat(told.warmupOrDefault()).isZero();
  }

  @Test
  void rowsShowTheWholeRunItsStartUpAndTheTestsAloneRoundByRound() {
    List<Samples> skiff = List.of(seconds(20, 24, 22), seconds(8, 9, 12));
    List<Samples> tc = List.of(seconds(100, 90, 95), seconds(5, 6, 5));

    List<Comparison> rows = EndToEndBenchmark.rows(skiff, Optional.of(tc), 0.2);

    assertThat(rows).extracting(Comparison::scenario).containsOnly("5");
    assertThat(rows).allSatisfy(r -> assertThat(r.unit()).isEqualTo(Figure.Unit.SECONDS));
    Comparison whole = rows.get(0);
    assertThat(whole.skiff().map(Figure::summary)).contains("22.0 s (20.0–24.0)");
    assertThat(whole.anchorFigure().map(Figure::summary)).contains("95.0 s (90.0–100)");
    assertThat(whole.verdict()).isEqualTo("MISS");  // 22/95 = 0.23
    Comparison startUp = rows.get(1);
    assertThat(startUp.skiff().map(Figure::summary)).contains("9.00 s (8.00–12.0)");
    assertThat(startUp.verdict()).isEqualTo("n/a");
    Comparison tests = rows.get(2);
    // Per round: 20-8, 24-9, 22-12 and 100-5, 90-6, 95-5.
    assertThat(tests.skiff().map(Figure::summary)).contains("12.0 s (10.0–15.0)");
    assertThat(tests.anchorFigure().map(Figure::summary)).contains("90.0 s (84.0–95.0)");
    assertThat(EndToEndBenchmark.rows(List.of(seconds(18), seconds(1)), Optional.of(tc), 0.2).get(0).verdict())
        .isEqualTo("PASS");
  }

  @Test
  void withoutDockerTheRowsHoldSkiffAlone() {
    List<Comparison> rows = EndToEndBenchmark.rows(List.of(seconds(20), seconds(8)), Optional.empty(), 0.2);
    assertThat(rows).hasSize(3).allSatisfy(r -> {
      assertThat(r.skiff()).isPresent();
      assertThat(r.anchorFigure()).isEmpty();
      assertThat(r.verdict()).isEqualTo("n/a");
    });
  }

  @Test
  void differenceNeedsTheSameRounds() {
    assertThatThrownBy(() -> EndToEndBenchmark.difference(seconds(1, 2), seconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 samples from 2");
  }
}
