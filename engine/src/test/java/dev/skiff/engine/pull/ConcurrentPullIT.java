package dev.skiff.engine.pull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.testing.FaultInjectingProxy;
import dev.skiff.engine.testing.Request;
import dev.skiff.engine.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several pulls of one image into one store, in threads and in separate JVMs: each blob crosses the wire once. */
class ConcurrentPullIT {
  @Test
  void twoJvmsPullingTheSameImageDownloadItOnce(@TempDir Path store) throws Exception {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(TestEnvironment.registry())) {
      // Slow blobs keep both pulls in flight at once.
      proxy.on(Request::isBlob).always().delay(Duration.ofMillis(500));
      String image = proxy.hostPort() + "/skiff-test/big:1";

      Process a = child(store, image);
      Process b = child(store, image);
      String outA = output(a);
      String outB = output(b);

      assertThat(a.exitValue()).as("first JVM: " + outA).isZero();
      assertThat(b.exitValue()).as("second JVM: " + outB).isZero();
      assertThat(outA.strip()).isEqualTo(outB.strip()).startsWith("sha256:");
      ImageRecord record = ImageStore.open(store).images().get(0);
      assertThat(layerRequests(proxy, record)).hasSize(record.layers().size()).doesNotHaveDuplicates();
    }
  }

  @Test
  void threadsPullingTheSameImageDownloadItOnce(@TempDir Path store) throws Exception {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(TestEnvironment.registry());
        Engine engine = Engine.create(EngineConfig.builder().store(store).build())) {
      proxy.on(Request::isBlob).always().delay(Duration.ofMillis(300));
      String image = proxy.hostPort() + "/library/redis:7.0";
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<ImageRecord>> pulls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        pulls.add(pool.submit(() -> engine.pull(image)));
      }
      List<ImageRecord> records = new ArrayList<>();
      for (Future<ImageRecord> f : pulls) {
        records.add(f.get(5, TimeUnit.MINUTES));
      }
      pool.shutdown();

      assertThat(records).extracting(ImageRecord::manifestDigest).containsOnly(records.get(0).manifestDigest());
      assertThat(layerRequests(proxy, records.get(0))).hasSize(records.get(0).layers().size()).doesNotHaveDuplicates();
    }
  }

  /** The layer blob requests; config blobs may be fetched by each pull, layers only once. */
  static List<String> layerRequests(FaultInjectingProxy proxy, ImageRecord record) {
    return proxy.requests(Request::isBlob).stream().map(Request::path)
        .filter(p -> record.layers().stream().anyMatch(l -> p.endsWith(l.blobDigest().toString())))
        .toList();
  }

  static Process child(Path store, String image) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PullMain.class.getName(),
        store.toString(), image).redirectErrorStream(true).start();
  }

  static String output(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish: " + out);
    }
    return out;
  }
}
