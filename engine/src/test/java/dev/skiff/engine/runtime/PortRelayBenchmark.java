package dev.skiff.engine.runtime;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.testing.TestEnvironment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jnr.ffi.LibraryLoader;

/**
 * Not a test: 1 GiB streamed through a published port next to the same transfer over a direct loopback connection,
 * connection setup latency, and many concurrent connections. The servers are the same Java code in both cases: for
 * the published port they listen inside the container's network namespace (a thread of this JVM joins it, root
 * only), so the difference is the launcher's relay. Run with the test class path as root; args: [store].
 */
public final class PortRelayBenchmark {
  private static final long GIB = 1L << 30;
  private static final int CLONE_NEWNET = 0x40000000;

  /** Public only because jnr-ffi implements it from another class loader. */
  public interface LibC {
    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final ExecutorService SERVERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bench-server");
    t.setDaemon(true);
    return t;
  });

  private PortRelayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path store = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("skiff-bench");
    String image = TestEnvironment.image("library/busybox:1.35");
    try (Engine engine = Engine.create(EngineConfig.builder().store(store).build());
        Container c = engine.run(ContainerSpec.builder(image).command("sleep", "100000")
            .exposedPorts(9000, 9001).build());
        ServerSocketChannel hostSink = listen(-1, 0);
        ServerSocketChannel hostEcho = listen(-1, 0);
        ServerSocketChannel containerSink = listen(c.pid(), 9000);
        ServerSocketChannel containerEcho = listen(c.pid(), 9001)) {
      serve(hostSink, PortRelayBenchmark::sink);
      serve(containerSink, PortRelayBenchmark::sink);
      serve(hostEcho, PortRelayBenchmark::echo);
      serve(containerEcho, PortRelayBenchmark::echo);
      int directSink = hostSink.socket().getLocalPort();
      int relaySink = c.mappedPort(9000);
      int directEcho = hostEcho.socket().getLocalPort();
      int relayEcho = c.mappedPort(9001);
      stream(directSink, GIB);
      stream(relaySink, GIB); // warm-up
      double[] direct = new double[5];
      double[] relay = new double[5];
      for (int i = 0; i < 5; i++) {
        direct[i] = stream(directSink, GIB);
        relay[i] = stream(relaySink, GIB);
      }
      System.out.printf("1 GiB streamed, median of 5: direct loopback %.0f MB/s, published port %.0f MB/s%n",
          median(direct), median(relay));
      connects(directEcho, 500);
      connects(relayEcho, 500);
      System.out.printf("connect + 1-byte round trip + close, mean of 2000: direct %.0f us, published port %.0f us%n",
          connects(directEcho, 2000), connects(relayEcho, 2000));
      System.out.printf("200 concurrent connections x 16 MiB: direct %.0f MB/s, published port %.0f MB/s%n",
          concurrent(directSink, 200, 16 << 20), concurrent(relaySink, 200, 16 << 20));
    } finally {
      SERVERS.shutdownNow();
    }
  }

  /** A server on 127.0.0.1:port, in the network namespace of process {@code pid} (or this one's when -1). */
  private static ServerSocketChannel listen(long pid, int port) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        if (pid > 0) { // this thread joins the container's network namespace; the socket stays there
          int fd = LIBC.open("/proc/" + pid + "/ns/net", 0);
          if (fd < 0 || LIBC.setns(fd, CLONE_NEWNET) != 0) {
            throw new IllegalStateException("Cannot join the network namespace of " + pid + " (root only)");
          }
          LIBC.close(fd);
        }
        return ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", port), 1024);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, r -> new Thread(r, "bench-netns").start()).get();
  }

  private interface Connection {
    void handle(SocketChannel s) throws IOException;
  }

  private static void serve(ServerSocketChannel server, Connection handler) {
    SERVERS.execute(() -> {
      while (server.isOpen()) {
        try {
          SocketChannel s = server.accept();
          SERVERS.execute(() -> {
            try (s) {
              handler.handle(s);
            } catch (IOException e) {
              // the client went away
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  /** Reads to the end, then answers one byte so the client knows everything arrived. */
  private static void sink(SocketChannel s) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    while (s.read(buffer) >= 0) {
      buffer.clear();
    }
    s.write(ByteBuffer.wrap(new byte[] {'k'}));
  }

  private static void echo(SocketChannel s) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    if (s.read(b) == 1) {
      s.write(b.flip());
    }
  }

  /** MB/s for {@code bytes} written to a sink. */
  private static double stream(int port, long bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    long started = System.nanoTime();
    try (SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
      for (long left = bytes; left > 0; ) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), left));
        left -= s.write(buffer);
      }
      s.shutdownOutput();
      if (s.read(ByteBuffer.allocate(1)) != 1) {
        throw new IllegalStateException("The sink on port " + port + " did not confirm");
      }
    }
    return bytes / ((System.nanoTime() - started) / 1e9) / 1e6;
  }

  /** Mean microseconds of connect, one byte there and back, close. */
  private static double connects(int port, int n) throws IOException {
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      try (SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
        s.write(ByteBuffer.wrap(new byte[] {'x'}));
        if (s.read(ByteBuffer.allocate(1)) != 1) {
          throw new IllegalStateException("No echo on port " + port);
        }
      }
    }
    return (System.nanoTime() - started) / 1e3 / n;
  }

  /** Aggregate MB/s of {@code n} connections each streaming {@code bytes} at once. */
  private static double concurrent(int port, int n, long bytes) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(n);
    try {
      long started = System.nanoTime();
      List<Future<Double>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(clients.submit(() -> stream(port, bytes)));
      }
      for (Future<Double> f : all) {
        f.get();
      }
      return n * bytes / ((System.nanoTime() - started) / 1e9) / 1e6;
    } finally {
      clients.shutdownNow();
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
