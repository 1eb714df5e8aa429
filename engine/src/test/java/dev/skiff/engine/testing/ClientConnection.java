package dev.skiff.engine.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the requests of one client connection in turn, over one kept-alive upstream connection of its own. */
final class ClientConnection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingProxy.class);

  private final FaultInjectingProxy proxy;
  private final Socket client;
  private final int id;
  private Socket upstream;
  private InputStream upstreamIn;
  private OutputStream upstreamOut;

  ClientConnection(FaultInjectingProxy proxy, Socket client, int id) {
    this.proxy = proxy;
    this.client = client;
    this.id = id;
  }

  @Override
  public void run() {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      HttpHead head;
      do {
        head = HttpHead.read(in);
      } while (head != null && serve(head, in, out));
    } catch (IOException e) {
      LOG.debug("Client connection {} to the proxy ended: {}", id, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the proxy is closing
    } finally {
      proxy.release(client);
      closeUpstream();
    }
  }

  /** Answers one request; returns whether the client connection can carry another. */
  private boolean serve(HttpHead head, InputStream in, OutputStream out) throws IOException, InterruptedException {
    Request request = new Request(head, id);
    proxy.record(request);
    byte[] body = BodyFraming.ofRequest(head).decode(in).readAllBytes();
    FaultRule rule = proxy.faultFor(request);
    FaultRule.Kind fault = rule == null ? null : rule.kind();
    if (rule != null) {
      LOG.info("Injecting {} into {}", rule, request);
    }
    if (fault == FaultRule.Kind.STATUS) {
      respond(out, request, (int) rule.amount(), "Fault injected by FaultInjectingProxy into " + request);
      return keepsAlive(head);
    }
    if (fault == FaultRule.Kind.STALL_BEFORE_HEADERS) {
      proxy.awaitClose();
      return false;
    }
    if (fault == FaultRule.Kind.DELAY) {
      Thread.sleep(rule.amount());
    }

    HttpHead response;
    try {
      response = forward(head, body);
    } catch (IOException e) {
      respond(out, request, 502, "FaultInjectingProxy got no answer from upstream " + proxy.upstreamHostPort()
          + " for " + request + " (" + e + "); is the registry running?");
      return false;
    }
    BodyFraming framing = BodyFraming.ofResponse(response, request.method());
    rewriteLocation(response).writeTo(out);
    InputStream fromUpstream = framing.decode(upstreamIn);
    OutputStream toClient = framing.encode(out);
    if (fault == FaultRule.Kind.CUT_AFTER) {
      BodyFraming.limit(fromUpstream, rule.amount()).transferTo(toClient);
      out.flush();
      return false; // run() closes both sockets
    }
    if (fault == FaultRule.Kind.STALL) {
      out.flush();
      proxy.awaitClose();
      return false;
    }
    if (fault == FaultRule.Kind.CORRUPT) {
      byte[] bytes = fromUpstream.readAllBytes();
      if (bytes.length > 0) {
        bytes[bytes.length / 2] ^= (byte) 0xff;
      }
      toClient.write(bytes);
    } else {
      fromUpstream.transferTo(toClient);
    }
    framing.finish(out);
    out.flush();
    boolean reusable = !framing.endsByClose() && !response.hasToken("Connection", "close");
    if (!reusable) {
      closeUpstream();
    }
    return reusable && keepsAlive(head);
  }

  /** Sends the request upstream and reads the response head; retries once if a kept-alive connection went stale. */
  private HttpHead forward(HttpHead head, byte[] body) throws IOException {
    boolean reused = upstream != null;
    try {
      return exchange(head, body);
    } catch (IOException e) {
      closeUpstream();
      if (!reused) {
        throw e;
      }
      return exchange(head, body);
    }
  }

  private HttpHead exchange(HttpHead head, byte[] body) throws IOException {
    if (upstream == null) {
      upstream = proxy.connectUpstream();
      upstreamIn = new BufferedInputStream(upstream.getInputStream());
      upstreamOut = new BufferedOutputStream(upstream.getOutputStream());
    }
    BodyFraming framing = BodyFraming.ofRequest(head);
    head.with("Host", proxy.upstreamHostPort()).writeTo(upstreamOut);
    framing.encode(upstreamOut).write(body);
    framing.finish(upstreamOut);
    upstreamOut.flush();
    HttpHead response = HttpHead.read(upstreamIn);
    while (response != null && response.status() / 100 == 1) { // e.g. 100 Continue: the body is already sent
      response = HttpHead.read(upstreamIn);
    }
    if (response == null) {
      throw new EOFException("upstream closed the connection without answering");
    }
    return response;
  }

  /** Points a Location at the proxy when it points at the upstream, so redirects stay on the faulty path. */
  private HttpHead rewriteLocation(HttpHead response) {
    String location = response.first("Location");
    String upstreamBase = "http://" + proxy.upstreamHostPort();
    if (location == null || !(location.equals(upstreamBase) || location.startsWith(upstreamBase + "/"))) {
      return response;
    }
    return response.with("Location", "http://" + proxy.hostPort() + location.substring(upstreamBase.length()));
  }

  private static boolean keepsAlive(HttpHead request) {
    return !request.hasToken("Connection", "close")
        && (request.part(2).equals("HTTP/1.1") || request.hasToken("Connection", "keep-alive"));
  }

  private static void respond(OutputStream out, Request request, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    new HttpHead("HTTP/1.1 " + status + " FaultInjectingProxy", List.of(
        Map.entry("Content-Type", "text/plain; charset=utf-8"),
        Map.entry("Content-Length", String.valueOf(body.length)))).writeTo(out);
    if (!request.method().equals("HEAD")) {
      out.write(body);
    }
    out.flush();
  }

  private void closeUpstream() {
    if (upstream != null) {
      proxy.release(upstream);
      upstream = null;
    }
  }
}
