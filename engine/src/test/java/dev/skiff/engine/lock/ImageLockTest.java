package dev.skiff.engine.lock;

import static dev.skiff.engine.lock.LockFileTest.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.lock.ImageLock.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock's decisions, with a tag whose current digest the test moves. */
class ImageLockTest {
  static final ImageReference REDIS = ImageReference.parse("redis:7.0");

  @TempDir Path dir;
  final AtomicReference<Digest> registry = new AtomicReference<>(digest("v1"));
  final ImageLock.DigestSource source = tag -> {
    Digest d = registry.get();
    if (d == null) {
      throw new IOException("registry unreachable");
    }
    return d;
  };

  LockFile file() {
    return LockFile.at(dir.resolve("skiff.lock"));
  }

  @Test
  void firstUseRecordsLaterUsesHonourTheRecordAndReportAMove() throws IOException {
    ImageLock lock = new ImageLock(file(), source, false);
    ImageLock.Pin first = lock.pin(REDIS);
    assertThat(first.status()).isEqualTo(Status.RECORDED);
    assertThat(first.pinned().toString()).isEqualTo("docker.io/library/redis:7.0@" + digest("v1"));
    assertThat(file().digest("docker.io/library/redis:7.0")).hasValue(digest("v1"));

    assertThat(lock.pin(REDIS).status()).isEqualTo(Status.LOCKED);

    registry.set(digest("v2"));
    ImageLock.Pin moved = lock.pin(REDIS);
    assertThat(moved.status()).isEqualTo(Status.MOVED);
    assertThat(moved.digest()).isEqualTo(digest("v1"));
    assertThat(moved.current()).hasValue(digest("v2"));
    assertThat(file().digest("docker.io/library/redis:7.0")).hasValue(digest("v1"));

    registry.set(null);
    ImageLock.Pin unchecked = lock.pin(REDIS);
    assertThat(unchecked.status()).isEqualTo(Status.UNCHECKED);
    assertThat(unchecked.digest()).isEqualTo(digest("v1"));
  }

  @Test
  void anUpdateRecordsWhatTheTagNamesNow() throws IOException {
    new ImageLock(file(), source, false).pin(REDIS);
    registry.set(digest("v2"));
    ImageLock.Pin updated = new ImageLock(file(), source, true).pin(REDIS);
    assertThat(updated.status()).isEqualTo(Status.UPDATED);
    assertThat(updated.digest()).isEqualTo(digest("v2"));
    assertThat(file().digest("docker.io/library/redis:7.0")).hasValue(digest("v2"));
    assertThat(new ImageLock(file(), source, true).pin(REDIS).status()).isEqualTo(Status.LOCKED);
  }

  @Test
  void aReferenceWithADigestBypassesTheFile() throws IOException {
    ImageReference pinned = REDIS.withDigest(digest("x"));
    ImageLock.Pin pin = new ImageLock(file(), source, false).pin(pinned);
    assertThat(pin.status()).isEqualTo(Status.PINNED_BY_REFERENCE);
    assertThat(pin.digest()).isEqualTo(digest("x"));
    assertThat(file().path()).doesNotExist();
  }

  @Test
  void aFirstUseThatCannotBeResolvedFails() {
    registry.set(null);
    assertThatThrownBy(() -> new ImageLock(file(), source, false).pin(REDIS)).hasMessage("registry unreachable");
  }
}
