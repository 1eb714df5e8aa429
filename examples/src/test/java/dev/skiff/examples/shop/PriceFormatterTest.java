package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.catalog.NodeRuntime;
import dev.skiff.engine.runtime.ExecResult;
import dev.skiff.junit.Node;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shop's Node script, run by the Node version the front end uses, the scripts copied in from src/main/node. */
@Node(version = "20", project = "src/main/node")
class PriceFormatterTest {
  private PriceFormatter formatter;

  @BeforeEach
  void runScriptsIn(NodeRuntime node) {
    formatter = new PriceFormatter((script, args) -> {
      ExecResult result = node.run(script, args);
      if (result.exitCode() != 0) {
        throw new IOException(script + " exited with " + result.exitCode() + ": " + result.stderr().strip());
      }
      return result.stdout();
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
