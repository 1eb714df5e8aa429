package dev.skiff.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  private final Table table = new Table(List.of("image", "time"),
      List.of(List.of("redis:7.0", "1.2 s"), List.of("postgres:15", "10.5 s")));

  @Test
  void textPadsEachColumnToItsWidestCell() {
    assertThat(table.text()).isEqualTo("""
        image        time
        redis:7.0    1.2 s
        postgres:15  10.5 s
        """);
  }

  @Test
  void markdownHasAHeaderRuleAndEscapesPipes() {
    Table t = new Table(List.of("a", "b"), List.of(List.of("x|y", "z")));
    assertThat(t.markdown()).isEqualTo("| a | b |\n| --- | --- |\n| x\\|y | z |\n");
  }

  @Test
  void csvQuotesOnlyCellsThatNeedIt() {
    Table t = new Table(List.of("name", "note"), List.of(List.of("plain", "a, \"b\"")));
    assertThat(t.csv()).isEqualTo("name,note\r\nplain,\"a, \"\"b\"\"\"\r\n");
  }

  @Test
  void refusesARowOfTheWrongLength() {
    assertThatThrownBy(() -> new Table(List.of("a", "b"), List.of(List.of("only one"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 cells").hasMessageContaining("2 columns");
  }
}
