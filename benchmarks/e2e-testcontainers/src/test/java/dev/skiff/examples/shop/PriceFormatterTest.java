package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/** The shop's Node script, run by the Node version the front end uses, the scripts copied in from src/main/node. */
@Testcontainers
class PriceFormatterTest {
  // The twin lives apart from the examples; its pom names their src/main/node.
  private static final String PROJECT = System.getProperty("shop.node.project", "src/main/node");

  @Container
  static GenericContainer<?> node = new GenericContainer<>(DockerImageName.parse("node:20"))
      .withCopyFileToContainer(MountableFile.forHostPath(PROJECT), "/app")
      .withWorkingDirectory("/app")
      .withCommand("tail", "-f", "/dev/null"); // idles; the scripts run through exec

  private PriceFormatter formatter;

  @BeforeEach
  void runScriptsIn() {
    formatter = new PriceFormatter((script, args) -> {
      ExecResult result = node.execInContainer(Stream.concat(Stream.of("node", script), Stream.of(args))
          .toArray(String[]::new));
      if (result.getExitCode() != 0) {
        throw new IOException(script + " exited with " + result.getExitCode() + ": " + result.getStderr().strip());
      }
      return result.getStdout();
    });
  }

  @Test
  void formatsForTheLocale() throws Exception {
    assertThat(formatter.format(4_999, "USD", "en-US")).isEqualTo("$49.99");
    assertThat(formatter.format(123_456, "EUR", "de-DE")).isEqualTo("1.234,56\u00a0€");
  }

  @Test
  void reportsTheScriptsComplaint() {
    assertThatThrownBy(() -> formatter.format(100, "", "en-US"))
        .isInstanceOf(IOException.class).hasMessageContaining("exited with 2").hasMessageContaining("usage:");
  }
}
