package dev.skiff.benchmarks.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FigureTest {
  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    Figure f = Figure.of(List.of(30.0, 10.0, 20.0), Figure.Unit.MILLISECONDS);
    assertThat(f.median()).isEqualTo(20.0);
    assertThat(f.min()).isEqualTo(10.0);
    assertThat(f.max()).isEqualTo(30.0);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertThat(Figure.of(List.of(4.0, 1.0, 3.0, 2.0), Figure.Unit.SECONDS).median()).isEqualTo(2.5);
  }

  @Test
  void summaryKeepsThreeSignificantDigitsAndShowsTheRange() {
    assertThat(Figure.of(List.of(1002.4, 980.0, 1300.0), Figure.Unit.MILLISECONDS).summary())
        .isEqualTo("1002 ms (980–1300)");
    assertThat(Figure.of(List.of(12.34, 9.876), Figure.Unit.MILLISECONDS).summary())
        .isEqualTo("11.1 ms (9.88–12.3)");
    assertThat(Figure.of(List.of(38.25), Figure.Unit.MEBIBYTES).summary()).isEqualTo("38.3 MiB");
  }

  @Test
  void samplesConvertToTheAskedTimeUnit() {
    Samples s = new Samples(List.of(Duration.ofMillis(1500), Duration.ofMillis(500), Duration.ofMillis(1000)));
    assertThat(s.in(Figure.Unit.MILLISECONDS)).isEqualTo(new Figure(1000, 500, 1500, Figure.Unit.MILLISECONDS));
    assertThat(s.in(Figure.Unit.SECONDS).median()).isEqualTo(1.0);
    assertThatThrownBy(() -> s.in(Figure.Unit.MEBIBYTES)).hasMessageContaining("MiB");
  }

  @Test
  void ratioRefusesDifferentUnits() {
    Figure ms = Figure.of(List.of(50.0), Figure.Unit.MILLISECONDS);
    assertThat(ms.ratioTo(Figure.of(List.of(200.0), Figure.Unit.MILLISECONDS))).isEqualTo(0.25);
    assertThatThrownBy(() -> ms.ratioTo(Figure.of(List.of(1.0), Figure.Unit.SECONDS)))
        .hasMessageContaining("ms").hasMessageContaining("s");
  }

  @Test
  void refusesAnInconsistentFigure() {
    assertThatThrownBy(() -> new Figure(5, 6, 7, Figure.Unit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
  }
}
