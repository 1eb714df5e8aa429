package dev.skiff.benchmarks.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
  private static Samples millis(long... values) {
    return new Samples(java.util.Arrays.stream(values).mapToObj(Duration::ofMillis).toList());
  }

  @Test
  void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
    Samples s = millis(5000, 1000, 3000, 9000, 2000);
    assertThat(s.median()).isEqualTo(Duration.ofMillis(3000));
    assertThat(s.min()).isEqualTo(Duration.ofMillis(1000));
    assertThat(s.max()).isEqualTo(Duration.ofMillis(9000));
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertThat(millis(4000, 1000, 2000, 8000).median()).isEqualTo(Duration.ofMillis(3000));
  }

  @Test
  void keepsTheOrderTheValuesWereTakenIn() {
    assertThat(millis(3, 1, 2).values()).containsExactly(Duration.ofMillis(3), Duration.ofMillis(1),
        Duration.ofMillis(2));
  }

  @Test
  void ratioIsMedianOverMedian() {
    assertThat(millis(1000, 1500, 2000).ratioTo(millis(3000, 5000, 4000))).isEqualTo(0.375);
  }

  @Test
  void summaryShowsMedianThenRangeInSeconds() {
    assertThat(millis(1234, 1100, 1400).summary()).isEqualTo("1.23 s (1.10–1.40)");
  }

  @Test
  void refusesNoValues() {
    assertThatThrownBy(() -> new Samples(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
