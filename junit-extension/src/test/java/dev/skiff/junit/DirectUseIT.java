package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.runtime.Container;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The extension used as users use it: an annotation, and a parameter. */
@Image(value = "busybox:1.35", command = {"sh", "-c", "echo hello from busybox; sleep 300"})
class DirectUseIT {
  @Test
  void theParameterIsTheDeclaredContainerRunning(Container busybox) throws InterruptedException {
    assertThat(busybox.isRunning()).isTrue();
    assertThat(Samples.eventually(Duration.ofSeconds(10), () -> busybox.logs().stdout().contains("hello")))
        .as("output: %s", busybox.logs().stdout()).isTrue();
  }
}
