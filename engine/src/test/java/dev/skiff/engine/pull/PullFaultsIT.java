package dev.skiff.engine.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.image.Descriptor;
import dev.skiff.engine.image.ImageManifest;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.image.ManifestDocument;
import dev.skiff.engine.registry.RegistryClient;
import dev.skiff.engine.registry.RegistryException;
import dev.skiff.engine.testing.FaultInjectingProxy;
import dev.skiff.engine.testing.Request;
import dev.skiff.engine.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls through a proxy that breaks things on purpose: dropped connections are resumed with Range, altered content
 * is refused with nothing stored, 5xx is retried, and stalls end in a timeout that says what to raise.
 */
class PullFaultsIT {
  static final String BIG = "skiff-test/big:1";
  static Descriptor bigLayer;
  static Descriptor bigConfig;

  FaultInjectingProxy proxy;
  @TempDir Path store;

  @BeforeAll
  static void findTheBigLayer() throws IOException {
    ImageReference ref = ImageReference.parse(TestEnvironment.image(BIG));
    RegistryClient.ManifestResponse response = RegistryClient.builder().build().fetchManifest(ref);
    ImageManifest manifest = (ImageManifest) ManifestDocument.parse(response.body(), response.contentType(), BIG);
    bigLayer = manifest.layers().stream().max((a, b) -> Long.compare(a.size(), b.size())).orElseThrow();
    bigConfig = manifest.config();
    assertThat(bigLayer.size()).as("the big test layer").isGreaterThan(32L << 20);
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = FaultInjectingProxy.start(TestEnvironment.registry());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  Engine engine(Duration readTimeout) throws IOException {
    return Engine.create(EngineConfig.builder().store(store).readTimeout(readTimeout).build());
  }

  String image() {
    return proxy.hostPort() + "/" + BIG;
  }

  static Predicate<Request> blob(Descriptor d) {
    return r -> r.isBlob() && r.path().endsWith(d.digest().toString());
  }

  @Test
  void droppedConnectionsAreResumedFromTheByteReached() throws IOException {
    proxy.on(blob(bigLayer)).times(2).cutAfter(8L << 20);

    try (Engine engine = engine(Duration.ofSeconds(30))) {
      engine.pull(image());
    }

    List<Request> gets = proxy.requests(blob(bigLayer));
    assertThat(gets).hasSize(3);
    assertThat(gets.get(0).header("Range")).isEmpty();
    assertThat(gets.get(1).header("Range")).contains("bytes=" + (8L << 20) + "-");
    assertThat(gets.get(2).header("Range")).contains("bytes=" + (16L << 20) + "-");
  }

  @Test
  void alteredLayerIsRefusedAndNothingIsStored() throws IOException {
    proxy.on(blob(bigLayer)).corrupt();

    try (Engine engine = engine(Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(bigLayer.digest().toString());
      assertNothingStored(engine);
    }
  }

  @Test
  void alteredConfigIsRefused() throws IOException {
    proxy.on(blob(bigConfig)).corrupt();

    try (Engine engine = engine(Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining(bigConfig.digest().toString())
          .hasMessageContaining("altered content");
      assertNothingStored(engine);
    }
  }

  @Test
  void alteredManifestIsRefusedByItsDigestHeader() throws IOException {
    proxy.on(Request::isManifest).corrupt();

    try (Engine engine = engine(Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("the manifest of")
          .hasMessageContaining("altered content");
      assertNothingStored(engine);
    }
  }

  @Test
  void serverErrorsAreRetried() throws IOException {
    proxy.on(Request::isManifest).times(2).status(503);
    proxy.on(blob(bigLayer)).status(500);

    try (Engine engine = engine(Duration.ofSeconds(30))) {
      assertThat(engine.pull(image()).layers()).isNotEmpty();
    }
    assertThat(proxy.count(Request::isManifest)).isEqualTo(3);
    assertThat(proxy.count(blob(bigLayer))).isEqualTo(2);
  }

  @Test
  void persistentServerErrorsEndWithTheRegistrysAnswer() throws IOException {
    proxy.on(Request::isManifest).always().status(503);

    try (Engine engine = engine(Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("HTTP 503")
          .hasMessageContaining("try again later");
    }
  }

  @Test
  void aStallIsResumedAfterTheReadTimeout() throws IOException {
    proxy.on(blob(bigLayer)).stall();

    try (Engine engine = engine(Duration.ofSeconds(1))) {
      assertThat(engine.pull(image()).layers()).isNotEmpty();
    }
    assertThat(proxy.count(blob(bigLayer))).isEqualTo(2);
  }

  @Test
  void aRegistryThatKeepsStallingTimesOutWithAClearMessage() throws IOException {
    proxy.on(blob(bigLayer)).always().stall();

    try (Engine engine = engine(Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining(bigLayer.digest().shortHex())
          .hasMessageContaining("no data within the read timeout")
          .hasMessageContaining("skiff.timeout.read");
      assertNothingStored(engine);
    }
  }

  @Test
  void aSilentRegistryTimesOutOnTheManifest() throws IOException {
    proxy.on(Request::isManifest).always().stallBeforeHeaders();

    try (Engine engine = engine(Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> engine.pull(image()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("did not answer in time")
          .hasMessageContaining("skiff.timeout.read");
    }
  }

  private void assertNothingStored(Engine engine) throws IOException {
    assertThat(engine.images()).isEmpty();
    assertThat(engine.store().layer(bigLayer.digest())).isEmpty();
    try (Stream<Path> tmp = Files.list(store.resolve("tmp"))) {
      assertThat(tmp).as("work left in the store").isEmpty();
    }
    try (Stream<Path> layers = Files.list(store.resolve("layers/sha256"))) {
      // the small busybox layer may have completed before the failure; the big one must not be there
      assertThat(layers.map(p -> p.getFileName().toString())).doesNotContain(bigLayer.digest().hex());
    }
  }
}
