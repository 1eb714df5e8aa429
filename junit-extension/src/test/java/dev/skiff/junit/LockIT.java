package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.lock.LockFile;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.testing.TestEnvironment;
import dev.skiff.engine.testing.TestImagePusher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The lock file: written on a tag's first use, honoured after the tag moved (which is reported), updated on request.
 * The moving tag is a private repository of this test, {@code skiff-ext/lock:1}, re-pushed with other content.
 */
class LockIT {
  static final String REPOSITORY = "skiff-ext/lock";
  static final List<String> OUTPUT = new CopyOnWriteArrayList<>();
  static final OkHttpClient HTTP = new OkHttpClient();

  @TempDir Path dir;

  @AfterEach
  void restoreSettings() {
    System.setProperty("skiff.lock.file", System.getProperty("skiff.lock.file.it", ""));
    System.clearProperty("skiff.lock.update");
  }

  @Image(value = "skiff-ext/lock:1", command = {"/bin/cat", "/version"}, lifecycle = Lifecycle.PER_TEST)
  static class PrintsItsVersion {
    @Test
    void print(Container lock) throws Exception {
      lock.waitFor(Duration.ofSeconds(10));
      OUTPUT.add(lock.logs().stdout().strip());
    }
  }

  @Test
  void aTagIsLockedOnFirstUseHonouredAfterItMovedAndUpdatedOnRequest() throws Exception {
    Path lockFile = dir.resolve("skiff.lock");
    System.setProperty("skiff.lock.file", lockFile.toString());
    Digest v1 = push("v1");

    assertThat(run()).containsExactly("v1");
    assertThat(LockFile.at(lockFile).entries()).containsExactly(Map.entry("docker.io/" + REPOSITORY + ":1", v1));

    Digest v2 = push("v2");
    OUTPUT.clear();
    EngineExecutionResults moved = Samples.run(PrintsItsVersion.class);
    moved.testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(OUTPUT).containsExactly("v1");
    assertThat(moved.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs().get("skiff.lock")))
        .containsExactly(REPOSITORY + ":1 now names " + v2 + ", but the lock file locks it to " + v1
            + ", which is used. Run with -Dskiff.lock.update=true to move to the new image.");
    assertThat(LockFile.at(lockFile).digest("docker.io/" + REPOSITORY + ":1")).hasValue(v1);

    System.setProperty("skiff.lock.update", "true");
    assertThat(run()).containsExactly("v2");
    assertThat(LockFile.at(lockFile).digest("docker.io/" + REPOSITORY + ":1")).hasValue(v2);
  }

  @Test
  void withoutALockFileTheTagIsUsedAsItIs() throws Exception {
    System.setProperty("skiff.lock.file", "none");
    push("v3");
    assertThat(run()).containsExactly("v3");
  }

  private static List<String> run() {
    OUTPUT.clear();
    Samples.run(PrintsItsVersion.class).testEvents().assertStatistics(s -> s.succeeded(1));
    return List.copyOf(OUTPUT);
  }

  /** Pushes busybox plus a layer holding /version under {@code skiff-ext/lock:1}; returns the manifest's digest. */
  private static Digest push(String version) throws IOException {
    new TestImagePusher(TestEnvironment.registry()).pushGzipImage(REPOSITORY, "1",
        List.of(busyboxLayer(), versionLayer(version)));
    return Digest.sha256Of(get("/v2/" + REPOSITORY + "/manifests/1"));
  }

  private static byte[] busyboxLayer() throws IOException {
    JsonNode manifest = new ObjectMapper().readTree(get("/v2/library/busybox/manifests/1.35"));
    return get("/v2/library/busybox/blobs/" + manifest.path("layers").path(0).path("digest").asText());
  }

  private static byte[] versionLayer(String version) throws IOException {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(gzip))) {
      byte[] content = (version + "\n").getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry("version");
      entry.setSize(content.length);
      entry.setMode(0644);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return gzip.toByteArray();
  }

  private static byte[] get(String path) throws IOException {
    Request request = new Request.Builder().url("http://" + TestEnvironment.registry() + path)
        .header("Accept", "application/vnd.oci.image.manifest.v1+json").build();
    try (Response response = HTTP.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("GET " + path + " answered " + response.code());
      }
      return response.body().bytes();
    }
  }
}
