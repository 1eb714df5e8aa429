package dev.skiff.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResumableBlobStreamTest {
  static final byte[] DATA = new byte[100_000];

  static {
    new Random(1).nextBytes(DATA);
  }

  /** A source that fails after {@code cut} bytes on its first {@code failures} openings. */
  static final class FlakySource implements ResumableBlobStream.Opener {
    final List<Long> offsets = new ArrayList<>();
    final int cut;
    final IOException failure;
    int failures;

    FlakySource(int cut, int failures, IOException failure) {
      this.cut = cut;
      this.failures = failures;
      this.failure = failure;
    }

    @Override
    public InputStream open(long offset) {
      offsets.add(offset);
      boolean fail = failures-- > 0;
      return new ByteArrayInputStream(DATA, (int) offset, DATA.length - (int) offset) {
        int served;

        @Override
        public synchronized int read(byte[] b, int off, int len) {
          if (fail && served >= cut) {
            throw new java.io.UncheckedIOException(failure);
          }
          int n = super.read(b, off, fail ? Math.min(len, cut - served) : len);
          served += Math.max(n, 0);
          return n;
        }
      };
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Test
  void resumesFromTheByteItGotTo() throws IOException {
    FlakySource source = new FlakySource(30_000, 2, new IOException("connection reset"));
    ResumableBlobStream in = new ResumableBlobStream(rethrowing(source), DATA.length, "blob", 4);

    assertThat(readAll(in)).isEqualTo(DATA);
    assertThat(source.offsets).containsExactly(0L, 30_000L, 60_000L);
  }

  @Test
  void timeoutsAreResumedToo() throws IOException {
    FlakySource source = new FlakySource(10_000, 1, new SocketTimeoutException("Read timed out"));
    assertThat(readAll(new ResumableBlobStream(rethrowing(source), DATA.length, "blob", 4))).isEqualTo(DATA);
  }

  @Test
  void givesUpWithTheStoryAfterMaxResumes() {
    FlakySource source = new FlakySource(10, 100, new SocketTimeoutException("Read timed out"));

    assertThatThrownBy(() -> readAll(new ResumableBlobStream(rethrowing(source), DATA.length, "blob sha256:ab", 3)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("blob sha256:ab")
        .hasMessageContaining("at byte 40 of 100000")
        .hasMessageContaining("3 resumed attempts")
        .hasMessageContaining("no data within the read timeout")
        .hasMessageContaining("skiff.timeout.read");
  }

  @Test
  void moreBytesThanDeclaredIsAnError() {
    ResumableBlobStream.Opener longer = offset -> new ByteArrayInputStream(DATA);
    assertThatThrownBy(() -> readAll(new ResumableBlobStream(longer, 1000, "blob", 1)))
        .hasMessageContaining("more than the 1000 bytes");
  }

  @Test
  void aShortBodyIsResumedNotAccepted() throws IOException {
    byte[] firstHalf = Arrays.copyOf(DATA, 500);
    List<Long> offsets = new ArrayList<>();
    ResumableBlobStream.Opener shortThenFull = offset -> {
      offsets.add(offset);
      return offset == 0 ? new ByteArrayInputStream(firstHalf)
          : new ByteArrayInputStream(DATA, (int) offset, DATA.length - (int) offset);
    };
    assertThat(readAll(new ResumableBlobStream(shortThenFull, DATA.length, "blob", 2))).isEqualTo(DATA);
    assertThat(offsets).containsExactly(0L, 500L);
  }

  /** Unwraps the test source's unchecked failure back into the IOException a socket would throw. */
  static ResumableBlobStream.Opener rethrowing(FlakySource source) {
    return offset -> {
      InputStream delegate = source.open(offset);
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return delegate.read(b, off, len);
          } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
          }
        }
      };
    };
  }
}
