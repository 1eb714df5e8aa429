package dev.skiff.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlatformTest {
  @Test
  void variantsMustAgreeOnlyWhenBothNameOne() {
    Platform arm64 = Platform.parse("linux/arm64/v8");

    assertThat(arm64.accepts(Platform.parse("linux/arm64"))).isTrue();
    assertThat(arm64.accepts(Platform.parse("linux/arm64/v8"))).isTrue();
    assertThat(Platform.parse("linux/arm/v7").accepts(Platform.parse("linux/arm/v6"))).isFalse();
    assertThat(Platform.parse("linux/amd64").accepts(Platform.parse("windows/amd64"))).isFalse();
  }

  @Test
  void currentUsesOciNames() {
    assertThat(Platform.current().os()).isEqualTo("linux");
    assertThat(Platform.current().architecture()).isNotEqualTo("x86_64").isNotEqualTo("aarch64");
  }

  @Test
  void badTextIsExplained() {
    assertThatThrownBy(() -> Platform.parse("amd64")).hasMessageContaining("os/architecture");
  }
}
