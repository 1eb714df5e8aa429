package dev.skiff.engine.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemorySizeTest {
  @Test
  void parsesDockerStyleSizesInBinaryUnits() {
    assertThat(MemorySize.parse("512m").bytes()).isEqualTo(512L << 20);
    assertThat(MemorySize.parse("1g").bytes()).isEqualTo(1L << 30);
    assertThat(MemorySize.parse("1G").bytes()).isEqualTo(1L << 30);
    assertThat(MemorySize.parse("64MB").bytes()).isEqualTo(64L << 20);
    assertThat(MemorySize.parse("64MiB").bytes()).isEqualTo(64L << 20);
    assertThat(MemorySize.parse("300k").bytes()).isEqualTo(300L << 10);
    assertThat(MemorySize.parse("2t").bytes()).isEqualTo(2L << 40);
    assertThat(MemorySize.parse("1.5g").bytes()).isEqualTo(3L << 29);
    assertThat(MemorySize.parse("4096").bytes()).isEqualTo(4096);
    assertThat(MemorySize.parse("4096b").bytes()).isEqualTo(4096);
    assertThat(MemorySize.parse(" 16m ").bytes()).isEqualTo(16L << 20);
  }

  @Test
  void rejectsWhatIsNoSize() {
    for (String bad : new String[] {"", "m", "-1m", "12x", "1.5.2g", "1 2m", "16mm"}) {
      assertThatThrownBy(() -> MemorySize.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "' is not a memory size").hasMessageContaining("512m");
    }
    assertThatThrownBy(() -> MemorySize.parse("99999999t")).hasMessageContaining("too large");
  }

  @Test
  void printsTheLargestExactUnit() {
    assertThat(MemorySize.parse("16m")).hasToString("16 MiB");
    assertThat(MemorySize.parse("1.5m")).hasToString("1536 KiB");
    assertThat(MemorySize.parse("2g")).hasToString("2 GiB");
    assertThat(MemorySize.ofBytes(1000)).hasToString("1000 bytes");
    assertThat(MemorySize.ofBytes(0)).hasToString("0 bytes");
    assertThat(MemorySize.ofMebibytes(16)).isEqualTo(MemorySize.parse("16m")).isNotEqualTo(MemorySize.parse("16k"));
  }
}
