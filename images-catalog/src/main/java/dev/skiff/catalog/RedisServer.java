package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecResult;
import dev.skiff.engine.runtime.ExecSpec;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A started {@link RedisImage} container: where to connect, and {@code redis-cli} inside it. Closing it removes it. */
public final class RedisServer implements AutoCloseable {
  private final Container container;
  private final String password;

  RedisServer(Container container, String password) {
    this.container = container;
    this.password = password;
  }

  /** {@code redis://127.0.0.1:PORT}, with {@code :PASSWORD@} before the host when there is one. */
  public String redisUri() {
    String auth = password.isEmpty() ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
    return "redis://" + auth + host() + ":" + port();
  }

  /** The host to connect to, {@code 127.0.0.1}. */
  public String host() {
    return container.host();
  }

  /** The host port Redis's port 6379 is published on. */
  public int port() {
    return container.mappedPort(RedisImage.PORT);
  }

  /** The password clients authenticate with; empty when none is needed. */
  public String password() {
    return password;
  }

  /**
   * Runs {@code redis-cli ARGS...} inside the container, e.g. {@code cli("GET", "key")}; the reply is on stdout.
   * Authenticates when there is a password.
   */
  public ExecResult cli(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "redis-cli";
    System.arraycopy(args, 0, command, 1, args.length);
    ExecSpec.Builder spec = ExecSpec.builder(command);
    if (!password.isEmpty()) {
      spec.env("REDISCLI_AUTH", password); // not on the command line, where redis-cli warns about it
    }
    return container.exec(spec.build());
  }

  /** The container, for its logs, exec and files. */
  public Container container() {
    return container;
  }

  /** Removes the container. */
  @Override
  public void close() throws IOException {
    container.remove();
  }

  @Override
  public String toString() {
    return "RedisServer " + host() + ":" + port() + " (" + container + ")";
  }
}
