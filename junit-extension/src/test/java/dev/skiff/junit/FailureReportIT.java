package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/** A failed test's exception carries the last lines each of its containers printed. */
class FailureReportIT {
  @Image(value = "busybox:1.35", name = "chatty", command = {"sh", "-c",
      "i=1; while [ $i -le 80 ]; do echo line $i; i=$((i+1)); done; echo trouble >&2; sleep 300"})
  static class Failing {
    @Test
    void fails(Container chatty) throws InterruptedException {
      Samples.eventually(Duration.ofSeconds(10), () -> chatty.logs().stderr().contains("trouble"));
      throw new AssertionError("the test failed");
    }
  }

  @Test
  void theFailureCarriesTheLast50LinesOfEachStream() {
    List<Throwable> failures = Samples.run(Failing.class).testEvents().failed().stream()
        .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
        .toList();

    assertThat(failures).singleElement().satisfies(failure -> {
      assertThat(failure).hasMessage("the test failed");
      assertThat(failure.getSuppressed()).singleElement().isInstanceOf(ContainerLogExcerpt.class);
      List<String> lines = failure.getSuppressed()[0].getMessage().lines().toList();
      assertThat(lines.get(0)).startsWith("Container 'chatty' (@Image(").contains("busybox:1.35").endsWith("running:");
      assertThat(lines).containsSubsequence("--- stdout, last 50 lines:", "line 31", "line 80", "--- stderr:",
          "trouble");
      assertThat(lines).doesNotContain("line 30");
    });
  }
}
