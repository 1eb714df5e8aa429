package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import dev.skiff.engine.wait.Wait;
import java.util.Objects;

/**
 * Redis from the official {@code redis} image, optionally with a password ({@code --requirepass}). Ready when it logs
 * "Ready to accept connections" (after loading its data) and port 6379 listens.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisImage.version("7.0").start(engine)) {
 *   URI uri = URI.create(redis.redisUri());
 * }
 * }</pre>
 */
public final class RedisImage implements ContainerDefinition<RedisServer> {
  static final int PORT = 6379;

  private final String image;
  private final String password;

  private RedisImage(String image, String password) {
    this.image = Objects.requireNonNull(image, "image");
    this.password = Objects.requireNonNull(password, "password");
  }

  /** {@code redis:VERSION}, e.g. {@code 7.0}. */
  public static RedisImage version(String version) {
    return ofImage("redis:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static RedisImage ofImage(String image) {
    return new RedisImage(image, "");
  }

  /** Requires clients to authenticate with {@code password}; empty (the default): no password. */
  public RedisImage withPassword(String password) {
    return new RedisImage(image, password);
  }

  public String image() {
    return image;
  }

  public String password() {
    return password;
  }

  @Override
  public ContainerSpec.Builder specBuilder() {
    ContainerSpec.Builder spec = ContainerSpec.builder(image)
        .exposedPorts(PORT)
        .waitingFor(Wait.allOf(Wait.forLogMessage("Ready to accept connections", 1), Wait.forListeningPorts(PORT)));
    if (!password.isEmpty()) {
      spec.command("redis-server", "--requirepass", password);
    }
    return spec;
  }

  @Override
  public Class<RedisServer> handleType() {
    return RedisServer.class;
  }

  @Override
  public RedisServer handle(Container container) {
    return new RedisServer(container, password);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisImage r && r.image.equals(image) && r.password.equals(password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, password);
  }

  @Override
  public String toString() {
    return "RedisImage[" + image + (password.isEmpty() ? "" : ", with password") + "]";
  }
}
