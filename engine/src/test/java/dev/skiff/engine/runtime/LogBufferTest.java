package dev.skiff.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBufferTest {
  static void write(LogBuffer buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.append(bytes, bytes.length);
  }

  @Test
  void keepsOnlyTheLastCapacityBytesButHandsOnEveryLine() {
    LogBuffer buffer = new LogBuffer(10_000);
    List<String> lines = new ArrayList<>();
    buffer.follow(lines::add);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      String line = "line " + i + "\n";
      all.append(line);
      write(buffer, line);
    }
    assertThat(buffer.text()).hasSize(10_000).isEqualTo(all.substring(all.length() - 10_000));
    assertThat(lines).hasSize(5000).startsWith("line 0").endsWith("line 4999");
  }

  @Test
  void followReplaysBufferedLinesAndCompletesThePartialOne() throws Exception {
    LogBuffer buffer = new LogBuffer(1024);
    write(buffer, "a\nb\npart");
    List<String> lines = new ArrayList<>();
    buffer.follow(lines::add);
    assertThat(lines).containsExactly("a", "b");
    buffer.pump(new ByteArrayInputStream("ial\nlast".getBytes(StandardCharsets.UTF_8)));
    assertThat(lines).containsExactly("a", "b", "partial", "last");
    assertThat(buffer.awaitEnd(0)).isTrue();
    assertThat(buffer.text()).isEqualTo("a\nb\npartial\nlast");
  }

  @Test
  void anEndlessLineIsCutAtCapacity() {
    LogBuffer buffer = new LogBuffer(100);
    List<String> lines = new ArrayList<>();
    buffer.follow(lines::add);
    write(buffer, "x".repeat(250));
    assertThat(lines).containsExactly("x".repeat(100), "x".repeat(100));
  }
}
