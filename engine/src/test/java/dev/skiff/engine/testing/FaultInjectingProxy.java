package dev.skiff.engine.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 reverse proxy on 127.0.0.1 that forwards to one loopback upstream (the test registry) and injects
 * faults into chosen responses, so tests can exercise resume, digest checks, retries and timeouts.
 *
 * <pre>{@code
 * try (FaultInjectingProxy proxy = FaultInjectingProxy.start(registryHostPort)) {
 *   proxy.on(Request::isBlob).cutAfter(1 << 20);
 *   pull(proxy.hostPort() + "/library/app:1");
 *   assertThat(proxy.requests(Request::isBlob).get(1).header("Range")).contains("bytes=1048576-");
 * }
 * }</pre>
 *
 * <p>Each matching request gets the fault of the first armed rule (in {@link #on} order) that still applies.
 */
public final class FaultInjectingProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingProxy.class);
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final String upstreamHostPort;
  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final ExecutorService workers;
  private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger connections = new AtomicInteger();

  private FaultInjectingProxy(String upstreamHostPort, InetSocketAddress upstream) throws IOException {
    this.upstreamHostPort = upstreamHostPort;
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger threads = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(task -> {
      Thread t = new Thread(task, "fault-proxy-" + server.getLocalPort() + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    workers.execute(this::acceptConnections);
  }

  /**
   * Starts a proxy on an ephemeral 127.0.0.1 port in front of {@code upstreamHostPort}.
   *
   * @param upstreamHostPort {@code localhost:port} or a loopback IP literal with port, e.g. {@code 127.0.0.1:5000}
   * @throws IllegalArgumentException if the upstream is not a loopback address: this proxy never talks to others
   */
  public static FaultInjectingProxy start(String upstreamHostPort) throws IOException {
    int colon = upstreamHostPort.lastIndexOf(':');
    String host = colon < 0 ? "" : upstreamHostPort.substring(0, colon).replaceAll("^\\[|\\]$", "");
    if (colon < 0 || !upstreamHostPort.substring(colon + 1).matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException(
          "Upstream '" + upstreamHostPort + "' must be host:port, e.g. 127.0.0.1:5000 for the local test registry");
    }
    // Resolve only names that need no DNS query, so not even a lookup leaves the machine.
    if (!host.equals("localhost") && !IP_LITERAL.matcher(host).matches()) {
      throw new IllegalArgumentException("Upstream '" + upstreamHostPort
          + "' must be localhost or a loopback IP literal such as 127.0.0.1: the proxy forwards only to loopback");
    }
    InetAddress address = host.equals("localhost") ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("Upstream '" + upstreamHostPort + "' is not a loopback address; "
          + "the fault-injecting proxy forwards only to a registry on this machine, such as 127.0.0.1:5000");
    }
    int port = Integer.parseInt(upstreamHostPort.substring(colon + 1));
    return new FaultInjectingProxy(upstreamHostPort, new InetSocketAddress(address, port));
  }

  /** Where clients connect: {@code 127.0.0.1:NNNNN}. */
  public String hostPort() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  /** Starts a rule for the requests that {@code match}; it takes effect once its fault is chosen. */
  public FaultRule on(Predicate<Request> match) {
    return new FaultRule(match, rules::add);
  }

  /** Every request received so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests received so far that {@code match}, in arrival order. */
  public List<Request> requests(Predicate<Request> match) {
    return requests.stream().filter(match).toList();
  }

  /** How many requests received so far {@code match}, e.g. {@code count(Request::isBlob)}. */
  public int count(Predicate<Request> match) {
    return requests(match).size();
  }

  /** Stops accepting, ends every connection (stalled ones included) and waits briefly for the workers. */
  @Override
  public void close() {
    closed.countDown();
    closeQuietly(server);
    sockets.forEach(FaultInjectingProxy::closeQuietly);
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("FaultInjectingProxy {} -> {}: workers still running 5s after close", hostPort(), upstreamHostPort);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String upstreamHostPort() {
    return upstreamHostPort;
  }

  Socket connectUpstream() throws IOException {
    Socket socket = new Socket();
    track(socket);
    socket.connect(upstream, CONNECT_TIMEOUT_MILLIS);
    return socket;
  }

  void record(Request request) {
    requests.add(request);
  }

  /** The rule that claims {@code request}, or null to forward it untouched. */
  FaultRule faultFor(Request request) {
    return rules.stream().filter(rule -> rule.claim(request)).findFirst().orElse(null);
  }

  /** Blocks a stalled exchange until {@link #close()}. */
  void awaitClose() throws InterruptedException {
    closed.await();
  }

  void release(Socket socket) {
    sockets.remove(socket);
    closeQuietly(socket);
  }

  private void acceptConnections() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("FaultInjectingProxy {} stopped accepting connections: {}", hostPort(), e.toString());
        }
        return;
      }
      track(client);
      try {
        workers.execute(new ClientConnection(this, client, connections.incrementAndGet()));
      } catch (RejectedExecutionException e) { // closing
        release(client);
      }
    }
  }

  private void track(Socket socket) {
    sockets.add(socket);
    if (closed.getCount() == 0) { // close() may have swept the set before this socket joined it
      release(socket);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("Ignoring failure to close {}: {}", closeable, e.toString());
    }
  }
}
