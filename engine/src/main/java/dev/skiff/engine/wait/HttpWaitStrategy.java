package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Waits until an HTTP GET on a path, through the container's published port, answers as expected: status 200 unless
 * told otherwise, and a body passing a predicate when one is set. Redirects are not followed: to accept one, name
 * its status with {@link #forStatusCode}.
 */
public final class HttpWaitStrategy extends TimedWaitStrategy {
  /** Connections and threads shared by every wait; each wait derives its own settings. */
  private static final OkHttpClient SHARED = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final String path;
  private final OptionalInt port;
  private final boolean tls;
  private final boolean insecure;
  private final Set<Integer> statusCodes;
  private final Optional<IntPredicate> statusPredicate;
  private final Optional<Predicate<String>> responsePredicate;

  HttpWaitStrategy(String path) {
    this(path.startsWith("/") ? path : "/" + path, OptionalInt.empty(), false, false, Set.of(), Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  private HttpWaitStrategy(String path, OptionalInt port, boolean tls, boolean insecure, Set<Integer> statusCodes,
      Optional<IntPredicate> statusPredicate, Optional<Predicate<String>> responsePredicate,
      Optional<Duration> startupTimeout) {
    super(startupTimeout);
    this.path = path;
    this.port = port;
    this.tls = tls;
    this.insecure = insecure;
    this.statusCodes = Set.copyOf(statusCodes);
    this.statusPredicate = statusPredicate;
    this.responsePredicate = responsePredicate;
  }

  /** Asks on the host port published for {@code containerPort}; by default on the lowest published TCP port. */
  public HttpWaitStrategy forPort(int containerPort) {
    return new HttpWaitStrategy(path, OptionalInt.of(containerPort), tls, insecure, statusCodes, statusPredicate,
        responsePredicate, startupTimeout());
  }

  /** Accepts {@code code}; with several of these (or {@link #forStatusCodeMatching}), any of them. Default: 200. */
  public HttpWaitStrategy forStatusCode(int code) {
    Set<Integer> codes = new TreeSet<>(statusCodes);
    codes.add(code);
    return new HttpWaitStrategy(path, port, tls, insecure, codes, statusPredicate, responsePredicate,
        startupTimeout());
  }

  /** Accepts the status codes {@code predicate} accepts (besides those of {@link #forStatusCode}). */
  public HttpWaitStrategy forStatusCodeMatching(IntPredicate predicate) {
    return new HttpWaitStrategy(path, port, tls, insecure, statusCodes, Optional.of(predicate), responsePredicate,
        startupTimeout());
  }

  /** Also requires the response body, as text, to pass {@code predicate}. */
  public HttpWaitStrategy forResponsePredicate(Predicate<String> predicate) {
    return new HttpWaitStrategy(path, port, tls, insecure, statusCodes, statusPredicate, Optional.of(predicate),
        startupTimeout());
  }

  /** Asks over HTTPS. */
  public HttpWaitStrategy usingTls() {
    return new HttpWaitStrategy(path, port, true, insecure, statusCodes, statusPredicate, responsePredicate,
        startupTimeout());
  }

  /** Over HTTPS, trusts any certificate for any host name: for containers with self-signed certificates. */
  public HttpWaitStrategy allowInsecure() {
    return new HttpWaitStrategy(path, port, tls, true, statusCodes, statusPredicate, responsePredicate,
        startupTimeout());
  }

  @Override
  public HttpWaitStrategy withStartupTimeout(Duration timeout) {
    return new HttpWaitStrategy(path, port, tls, insecure, statusCodes, statusPredicate, responsePredicate,
        Optional.of(timeout));
  }

  @Override
  void waitUntilReady(Container container, Duration timeout) throws ContainerNotReadyException {
    int containerPort;
    if (port.isPresent()) {
      containerPort = port.getAsInt();
    } else {
      Optional<Integer> lowest = PublishedPorts.tcp(container).stream().min(Integer::compare);
      if (lowest.isEmpty()) {
        throw ContainerNotReadyException.of(container, "HTTP GET " + path, Duration.ZERO, "it publishes no TCP"
            + " port to ask on; publish one, or name it with Wait.forHttp(path).forPort(port)");
      }
      containerPort = lowest.get();
    }
    String url;
    try {
      url = (tls ? "https" : "http") + "://" + container.host() + ":" + container.mappedPort(containerPort) + path;
    } catch (IllegalArgumentException e) {
      throw ContainerNotReadyException.of(container, "HTTP GET " + path + " on port " + containerPort, Duration.ZERO,
          e.getMessage());
    }
    OkHttpClient client = client(timeout);
    Polling.await(container, new Probe() {
      @Override
      String awaited() {
        return "HTTP GET " + url + " (container port " + containerPort + ") answering " + expectation();
      }

      @Override
      boolean ready() throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
          int code = r.code();
          if (!statusAccepted(code)) {
            observe("status " + code);
            return false;
          }
          if (responsePredicate.isPresent() && !responsePredicate.get().test(r.body().string())) {
            observe("status " + code + ", but the body did not pass the predicate");
            return false;
          }
          return true;
        }
      }
    }, timeout);
  }

  private boolean statusAccepted(int code) {
    if (statusCodes.isEmpty() && statusPredicate.isEmpty()) {
      return code == 200;
    }
    return statusCodes.contains(code) || statusPredicate.map(p -> p.test(code)).orElse(false);
  }

  private String expectation() {
    String status = statusCodes.isEmpty() && statusPredicate.isEmpty() ? "status 200"
        : "status " + (statusCodes.isEmpty() ? "" : statusCodes + (statusPredicate.isPresent() ? " or " : ""))
            + (statusPredicate.isPresent() ? "matching the predicate" : "");
    return status + (responsePredicate.isPresent() ? " and a body passing the predicate" : "");
  }

  private OkHttpClient client(Duration timeout) {
    Duration perRequest = timeout.compareTo(REQUEST_TIMEOUT) < 0 ? timeout : REQUEST_TIMEOUT;
    OkHttpClient.Builder b = SHARED.newBuilder()
        .connectTimeout(perRequest.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(perRequest.toMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(perRequest.toMillis(), TimeUnit.MILLISECONDS)
        .followRedirects(false);
    if (insecure) {
      X509TrustManager trustAll = new TrustAnyCertificate();
      try {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        b.sslSocketFactory(ssl.getSocketFactory(), trustAll).hostnameVerifier((host, session) -> true);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("This JVM offers no TLS context", e);
      }
    }
    return b.build();
  }

  /** Trusts every certificate: only for {@link #allowInsecure()}, against a test's own container. */
  private static final class TrustAnyCertificate implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Override
  public String toString() {
    return "Wait.forHttp(\"" + path + "\")";
  }
}
