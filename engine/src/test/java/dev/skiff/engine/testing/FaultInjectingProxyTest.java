package dev.skiff.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultInjectingProxyTest {
  private static final byte[] BODY = randomBytes(100_000);

  /** What the upstream saw of each request: path, headers, and the proxy's source port. */
  private record Seen(String path, Headers headers, int port) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer upstream;
  private FaultInjectingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", this::serve);
    upstream.start();
    proxy = FaultInjectingProxy.start(upstreamHostPort());
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.stop(0);
  }

  /** Serves BODY at /fixed (Content-Length, honours Range: bytes=N-) and /chunked, a redirect, else 404. */
  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    seen.add(new Seen(path, exchange.getRequestHeaders(), exchange.getRemoteAddress().getPort()));
    String range = exchange.getRequestHeaders().getFirst("Range");
    int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
    byte[] body = Arrays.copyOfRange(BODY, from, BODY.length);
    int status = from > 0 ? 206 : 200;
    if (path.equals("/redirect")) {
      exchange.getResponseHeaders().set("Location", "http://" + upstreamHostPort() + "/fixed");
      body = new byte[0];
      status = 307;
    } else if (!path.equals("/fixed") && !path.equals("/chunked")) {
      body = ("no " + path + "\n").getBytes(StandardCharsets.UTF_8);
      status = 404;
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, path.equals("/chunked") ? 0 : body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int off = 0; off < body.length; off += 30_000) { // several writes, so /chunked has several chunks
        out.write(body, off, Math.min(30_000, body.length - off));
      }
    }
  }

  @Test
  void forwardsBodiesOfEitherFramingAndKeepsHeadersButHost() throws Exception {
    HttpResponse<byte[]> fixed = get("/fixed", "Authorization", "Bearer secret", "Accept", "application/x-test");
    HttpResponse<byte[]> chunked = get("/chunked");

    assertThat(fixed.statusCode()).isEqualTo(200);
    assertThat(fixed.body()).isEqualTo(BODY);
    assertThat(fixed.headers().firstValue("Content-Length")).contains(String.valueOf(BODY.length));
    assertThat(chunked.body()).isEqualTo(BODY);
    assertThat(chunked.headers().firstValue("Transfer-Encoding")).contains("chunked");
    Headers upstreamHeaders = seen.get(0).headers();
    assertThat(upstreamHeaders.getFirst("Host")).isEqualTo(upstreamHostPort());
    assertThat(upstreamHeaders.getFirst("Authorization")).isEqualTo("Bearer secret");
    assertThat(upstreamHeaders.getFirst("Accept")).isEqualTo("application/x-test");
    Request recorded = proxy.requests().get(0);
    assertThat(recorded.header("host")).contains(proxy.hostPort());
    assertThat(recorded.headers().get("AUTHORIZATION")).containsExactly("Bearer secret");
  }

  @Test
  void injectedStatusHitsOnlyTheNextNMatchingRequestsAndIsNotForwarded() throws Exception {
    FaultRule rule = proxy.on(Request.pathMatches("/fixed")).times(2).status(503);

    HttpResponse<byte[]> first = get("/fixed");
    int[] statuses = {first.statusCode(), get("/chunked").statusCode(), get("/fixed").statusCode(),
        get("/fixed").statusCode()};

    assertThat(statuses).containsExactly(503, 200, 503, 200);
    assertThat(new String(first.body())).contains("GET /fixed");
    assertThat(rule.applied()).isEqualTo(2);
    assertThat(seen).extracting(Seen::path).containsExactly("/chunked", "/fixed");
    assertThat(proxy.count(Request.pathMatches("/fixed"))).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fixed", "/chunked"})
  void cutAfterDeliversThatManyBodyBytesThenFails(String path) throws Exception {
    proxy.on(Request.pathMatches(path)).times(2).cutAfter(1000);

    // HttpClient may drop bytes it queued once the stream fails, so count them with HttpURLConnection.
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (InputStream in = openWithReadTimeout(path, 5_000).getInputStream()) {
      in.transferTo(received); // a short Content-Length body ends without error here
    } catch (IOException expected) { // a short chunked body fails
    }
    HttpResponse<InputStream> response = client.send(request(path).build(), BodyHandlers.ofInputStream());

    assertThat(received.toByteArray()).isEqualTo(Arrays.copyOf(BODY, 1000));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
    assertThat(get(path).body()).as("the next request is served whole").isEqualTo(BODY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/fixed", "/chunked"})
  void corruptFlipsOneByteInTheMiddleAndKeepsTheLength(String path) throws Exception {
    proxy.on(Request.pathMatches(path)).corrupt();

    byte[] body = get(path).body();

    assertThat(body).hasSameSizeAs(BODY);
    assertThat(IntStream.range(0, BODY.length).filter(i -> body[i] != BODY[i])).containsExactly(BODY.length / 2);
  }

  @Test
  void stallSendsHeadersThenLetsTheClientReadTimeoutFire() throws Exception {
    proxy.on(Request.pathMatches("/fixed")).stall();
    HttpURLConnection connection = openWithReadTimeout("/fixed", 1_000); // room for the headers on a busy machine

    assertThat(connection.getResponseCode()).isEqualTo(200);
    assertThatThrownBy(() -> connection.getInputStream().readAllBytes()).isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void stallBeforeHeadersSendsNothingAndForwardsNothing() throws Exception {
    proxy.on(Request.pathMatches("/fixed")).stallBeforeHeaders();
    HttpURLConnection connection = openWithReadTimeout("/fixed", 300);

    assertThatThrownBy(connection::getResponseCode).isInstanceOf(SocketTimeoutException.class);
    assertThat(seen).isEmpty();
  }

  @Test
  void closeEndsStalledExchanges() throws Exception {
    proxy.on(Request.pathMatches("/fixed")).stallBeforeHeaders();
    CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request("/fixed").build(),
        BodyHandlers.ofByteArray());
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.count(Request.pathMatches("/fixed")) == 1);

    proxy.close();

    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
  }

  @Test
  void closeEndsIdleKeptAliveConnections() throws Exception {
    String[] hostPort = proxy.hostPort().split(":");
    try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("HEAD /fixed HTTP/1.1\r\nHost: proxy\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertThat(HttpHead.read(in).status()).isEqualTo(200);

      proxy.close();

      assertThat(in.read()).as("end of stream on the idle connection").isEqualTo(-1);
    }
  }

  @Test
  void delayHoldsTheRequestBackThenForwardsIt() throws Exception {
    proxy.on(Request.pathMatches("/fixed")).delay(Duration.ofMillis(400));

    long started = System.nanoTime();
    byte[] body = get("/fixed").body();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(body).isEqualTo(BODY);
  }

  @Test
  void rangeIsForwardedAndRecorded() throws Exception {
    get("/fixed");
    HttpResponse<byte[]> resumed = get("/fixed", "Range", "bytes=1000-");

    assertThat(resumed.statusCode()).isEqualTo(206);
    assertThat(resumed.body()).isEqualTo(Arrays.copyOfRange(BODY, 1000, BODY.length));
    List<Request> requests = proxy.requests(Request.pathMatches("/fixed"));
    assertThat(requests.get(0).header("Range")).isEmpty();
    assertThat(requests.get(1).header("Range")).contains("bytes=1000-");
    assertThat(seen.get(1).headers().getFirst("Range")).isEqualTo("bytes=1000-");
  }

  @Test
  void keepsBothConnectionsAliveAcrossRequestsIncludingHead() throws Exception {
    HttpResponse<byte[]> head = client.send(request("/fixed").method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build(), BodyHandlers.ofByteArray());
    get("/fixed");
    get("/chunked");
    get("/fixed");

    assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(BODY.length));
    assertThat(proxy.requests()).hasSize(4).extracting(Request::connection).containsOnly(1);
    assertThat(seen).hasSize(4).extracting(Seen::port).containsOnly(seen.get(0).port());
  }

  @Test
  void recordsConcurrentRequests() {
    List<CompletableFuture<HttpResponse<byte[]>>> responses = IntStream.range(0, 20)
        .mapToObj(i -> client.sendAsync(request("/fixed").build(), BodyHandlers.ofByteArray())).toList();

    assertThat(responses).allSatisfy(r -> assertThat(r.join().body()).isEqualTo(BODY));
    assertThat(proxy.requests()).hasSize(20);
  }

  @Test
  void rewritesLocationsThatPointAtTheUpstream() throws Exception {
    HttpResponse<byte[]> redirect = get("/redirect");

    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location")).contains("http://" + proxy.hostPort() + "/fixed");
  }

  @Test
  void blobAndManifestMatchersTellRegistryPathsApart() throws Exception {
    proxy.on(Request::isManifest).always().status(501);
    proxy.on(Request::isBlob).always().status(500);
    String blob = "/v2/library/app/blobs/sha256:" + "ab".repeat(32);

    int[] statuses = {get("/v2/library/app/manifests/latest").statusCode(), get(blob).statusCode(),
        get("/v2/library/app/blobs/uploads/").statusCode(), get("/v2/library/app/manifests/latest").statusCode()};

    assertThat(statuses).containsExactly(501, 500, 404, 501);
    assertThat(proxy.count(Request::isBlob)).isEqualTo(1);
  }

  @Test
  void refusesUpstreamsOffThisMachine() {
    for (String upstream : List.of("192.0.2.1:5000", "registry.example:5000", "127.0.0.1")) {
      assertThatThrownBy(() -> FaultInjectingProxy.start(upstream))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(upstream);
    }
  }

  private String upstreamHostPort() {
    return "127.0.0.1:" + upstream.getAddress().getPort();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://" + proxy.hostPort() + path));
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = request(path);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), BodyHandlers.ofByteArray());
  }

  private HttpURLConnection openWithReadTimeout(String path, int millis) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) request(path).build().uri().toURL().openConnection();
    connection.setReadTimeout(millis);
    return connection;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(42).nextBytes(bytes);
    return bytes;
  }
}
