package dev.skiff.engine.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompressionTest {
  @Test
  void tellsCompressionByMagicBytes() {
    assertThat(Compression.detect(TarBuilder.gzip(new byte[10]))).isEqualTo(Compression.GZIP);
    assertThat(Compression.detect(TarBuilder.zstd(new byte[10]))).isEqualTo(Compression.ZSTD);
    assertThat(Compression.detect(new TarBuilder().file("a", "b").tar())).isEqualTo(Compression.NONE);
  }

  @Test
  void takesShortOrEmptyInputForPlainTar() {
    assertThat(Compression.detect(new byte[0])).isEqualTo(Compression.NONE);
    assertThat(Compression.detect(new byte[] {0x1f})).isEqualTo(Compression.NONE);
    assertThat(Compression.detect(new byte[] {0x28, (byte) 0xb5, 0x2f})).isEqualTo(Compression.NONE);
  }
}
