package dev.skiff.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.Descriptor;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.image.MediaTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registries on cloud storage answer blob requests with a redirect to a CDN. The registry's credentials must not
 * follow the redirect to the other host (the filesystem registry of the test env never redirects, hence these two
 * small loopback servers: "127.0.0.1" as the registry, "localhost" as the CDN).
 */
class CrossHostRedirectTest {
  static final byte[] BLOB = "layer bytes served by the CDN".getBytes(StandardCharsets.UTF_8);

  HttpServer registry;
  HttpServer cdn;
  final List<String> registryAuthorizations = new CopyOnWriteArrayList<>();
  final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    cdn.createContext("/blob", exchange -> {
      cdnAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      exchange.sendResponseHeaders(200, BLOB.length);
      exchange.getResponseBody().write(BLOB);
      exchange.close();
    });
    cdn.start();
    registry = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    registry.createContext("/v2/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      registryAuthorizations.add(String.valueOf(auth));
      if (auth == null) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
        exchange.sendResponseHeaders(401, -1);
      } else {
        exchange.getResponseHeaders().set("Location", "http://localhost:" + cdn.getAddress().getPort() + "/blob");
        exchange.sendResponseHeaders(307, -1);
      }
      exchange.close();
    });
    registry.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    cdn.stop(0);
  }

  @Test
  void credentialsStayWithTheRegistry() throws IOException {
    String host = "127.0.0.1:" + registry.getAddress().getPort();
    RegistryClient client = RegistryClient.builder()
        .credentials(r -> Optional.of(new Credentials.UsernamePassword("user", "secret")))
        .build();
    Descriptor blob = new Descriptor(MediaTypes.OCI_LAYER, Digest.sha256Of(BLOB), BLOB.length);

    byte[] got = client.fetchBlob(ImageReference.parse(host + "/some/repo:1"), blob);

    assertThat(got).isEqualTo(BLOB);
    assertThat(registryAuthorizations).containsExactly("null", okhttp3.Credentials.basic("user", "secret"));
    assertThat(cdnAuthorizations).containsExactly("null");
  }
}
