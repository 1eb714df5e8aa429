package dev.skiff.engine.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.hash.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
  @TempDir Path dir;

  static Digest digest(String content) {
    return Digest.sha256Of(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void missingFileHasNoEntries() throws IOException {
    LockFile lock = LockFile.at(dir.resolve("none/skiff.lock"));
    assertThat(lock.entries()).isEmpty();
    assertThat(lock.digest("docker.io/library/redis:7.0")).isEmpty();
    assertThat(lock.path()).doesNotExist();
  }

  @Test
  void entriesAreWrittenSortedOneALineAndReadBack() throws IOException {
    LockFile lock = LockFile.at(dir.resolve("sub/skiff.lock"));
    lock.record("docker.io/library/redis:7.0", digest("redis"));
    lock.record("docker.io/library/busybox:1.35", digest("busybox"));
    List<String> lines = Files.readAllLines(lock.path()).stream().filter(l -> !l.startsWith("#")).toList();
    assertThat(lines).containsExactly(
        "docker.io/library/busybox:1.35 " + digest("busybox"),
        "docker.io/library/redis:7.0 " + digest("redis"));
    assertThat(LockFile.at(lock.path()).digest("docker.io/library/redis:7.0")).hasValue(digest("redis"));
  }

  @Test
  void recordIfAbsentKeepsTheFirstEntryAndRecordReplacesIt() throws IOException {
    LockFile lock = LockFile.at(dir.resolve("skiff.lock"));
    assertThat(lock.recordIfAbsent("r:1", digest("a"))).isEqualTo(digest("a"));
    assertThat(lock.recordIfAbsent("r:1", digest("b"))).isEqualTo(digest("a"));
    lock.record("r:1", digest("b"));
    assertThat(lock.digest("r:1")).hasValue(digest("b"));
    assertThat(lock.entries()).hasSize(1);
  }

  @Test
  void aMalformedLineIsReportedWithItsNumberAndTheFix() throws IOException {
    Path file = dir.resolve("skiff.lock");
    Files.writeString(file, "# comment\n\nredis:7.0 sha256:abc\n");
    assertThatThrownBy(() -> LockFile.at(file).entries())
        .hasMessageContaining(file + " line 3")
        .hasMessageContaining("redis:7.0 sha256:abc")
        .hasMessageContaining("Fix or delete the line");
  }

  @Test
  void concurrentFirstUsesFromManyThreadsAllLandAndAgree() throws Exception {
    LockFile lock = LockFile.at(dir.resolve("skiff.lock"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Set<Digest> sharedAnswers = ConcurrentHashMap.newKeySet();
    List<Future<?>> tasks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int n = i;
      tasks.add(pool.submit(() -> {
        LockFile.at(lock.path()).recordIfAbsent("image-" + n + ":1", digest("" + n));
        sharedAnswers.add(LockFile.at(lock.path()).recordIfAbsent("shared:1", digest("thread " + n)));
        return null;
      }));
    }
    for (Future<?> t : tasks) {
      t.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(lock.entries()).hasSize(41);
    assertThat(sharedAnswers).hasSize(1).containsExactly(lock.digest("shared:1").orElseThrow());
    for (int i = 0; i < 40; i++) {
      assertThat(lock.digest("image-" + i + ":1")).hasValue(digest("" + i));
    }
  }

  @Test
  void concurrentUpdatesFromSeveralProcessesAllLand() throws Exception {
    Path file = dir.resolve("skiff.lock");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          LockFileWriter.class.getName(), file.toString(), "p" + p, "25").inheritIO().start());
    }
    for (Process child : children) {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    }
    assertThat(LockFile.at(file).entries()).hasSize(75);
  }

  /** A child process recording {@code count} entries named after {@code prefix}. */
  public static final class LockFileWriter {
    public static void main(String[] args) throws IOException {
      LockFile lock = LockFile.at(Path.of(args[0]));
      for (int i = 0; i < Integer.parseInt(args[2]); i++) {
        lock.recordIfAbsent(args[1] + "-" + i + ":1", digest(args[1] + i));
      }
    }
  }
}
