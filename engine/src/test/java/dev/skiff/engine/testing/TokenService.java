package dev.skiff.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The token service the test env's token registry sends clients to: a real Docker token endpoint that checks Basic
 * credentials (or allows anonymous pulls when told to) and answers with a JWT the registry verifies against the
 * certificate {@code test-env/setup.sh} made. Listens where the registry's realm points.
 */
public final class TokenService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One token request as the service saw it. */
  public record TokenRequest(Map<String, String> query, boolean withCredentials, boolean granted) {}

  private final HttpServer server;
  private final PrivateKey key;
  private final String certificate;
  private final boolean allowAnonymous;
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

  private TokenService(boolean allowAnonymous) throws IOException {
    this.allowAnonymous = allowAnonymous;
    this.key = readKey(Path.of(TestEnvironment.property("token.key")));
    this.certificate = derBase64(Path.of(TestEnvironment.property("token.cert")));
    URI realm = URI.create(TestEnvironment.property("token.realm"));
    this.server = HttpServer.create(new InetSocketAddress(realm.getHost(), realm.getPort()), 0);
    server.createContext(realm.getPath(), this::handle);
    server.start();
  }

  /** Starts the service; {@code allowAnonymous} grants pulls without credentials, as public registries do. */
  public static TokenService start(boolean allowAnonymous) throws IOException {
    return new TokenService(allowAnonymous);
  }

  public List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      boolean withCredentials = auth != null;
      boolean valid = withCredentials && auth.equals("Basic " + Base64.getEncoder().encodeToString(
          (TestEnvironment.authUsername() + ":" + TestEnvironment.authPassword()).getBytes(StandardCharsets.UTF_8)));
      boolean granted = valid || (!withCredentials && allowAnonymous);
      requests.add(new TokenRequest(query, withCredentials, granted));
      if (!granted) {
        byte[] body = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(401, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      ObjectNode answer = JSON.createObjectNode()
          .put("token", jwt(query.getOrDefault("scope", ""), valid ? TestEnvironment.authUsername() : ""))
          .put("expires_in", 300)
          .put("issued_at", Instant.now().toString());
      byte[] body = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (Exception e) {
      throw new IOException("token service failed", e);
    }
  }

  /** A JWT for the scope "repository:NAME:ACTIONS", signed RS256 with the certificate in the x5c header. */
  private String jwt(String scope, String subject) throws Exception {
    ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
    header.putArray("x5c").add(certificate);
    long now = Instant.now().getEpochSecond();
    ObjectNode claims = JSON.createObjectNode()
        .put("iss", TestEnvironment.property("token.issuer"))
        .put("sub", subject)
        .put("aud", TestEnvironment.property("token.service"))
        .put("exp", now + 300)
        .put("nbf", now - 10)
        .put("iat", now)
        .put("jti", UUID.randomUUID().toString());
    String[] parts = scope.split(":");
    if (parts.length == 3) {
      ObjectNode access = claims.putArray("access").addObject().put("type", parts[0]).put("name", parts[1]);
      for (String action : parts[2].split(",")) {
        access.withArray("actions").add(action);
      }
    } else {
      claims.putArray("access");
    }
    String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + base64Url(rsa.sign());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> map = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        map.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return map;
  }

  private static PrivateKey readKey(Path pem) throws IOException {
    try {
      byte[] der = pemBody(pem, "PRIVATE KEY");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("Cannot read the token signing key " + pem + ": " + e, e);
    }
  }

  private static String derBase64(Path pem) throws IOException {
    return Base64.getEncoder().encodeToString(pemBody(pem, "CERTIFICATE"));
  }

  private static byte[] pemBody(Path pem, String type) throws IOException {
    String text = Files.readString(pem);
    int start = text.indexOf("-----BEGIN " + type + "-----");
    int end = text.indexOf("-----END " + type + "-----");
    if (start < 0 || end < 0) {
      throw new IOException(pem + " holds no PEM " + type + "; rerun test-env/setup.sh");
    }
    String body = text.substring(start + ("-----BEGIN " + type + "-----").length(), end);
    return Base64.getMimeDecoder().decode(body);
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
