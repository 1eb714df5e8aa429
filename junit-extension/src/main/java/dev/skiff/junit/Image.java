package dev.skiff.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container the test needs, started from an image before the test and removed after it. Put it on a test class
 * (the container lives {@linkplain Lifecycle#PER_CLASS per class} by default), on a test method ({@linkplain
 * Lifecycle#PER_TEST per test}), or on an annotation of your own that composes an environment:
 *
 * <pre>{@code
 * @Retention(RUNTIME) @Target(TYPE)
 * @Image(value = "postgres:15", name = "db", env = "POSTGRES_PASSWORD=secret")
 * @Image(value = "redis:7.0", name = "cache")
 * @interface OrderServiceEnv {}
 *
 * @OrderServiceEnv
 * class OrderServiceTest {
 *   @Test void stores(@Handle("db") Container db) { ... }
 * }
 * }</pre>
 *
 * <p>The annotation registers {@link SkiffExtension} itself. Started containers are injected into parameters and
 * {@link Handle} fields of type {@link dev.skiff.engine.runtime.Container}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(Images.class)
@ExtendWith(SkiffExtension.class)
public @interface Image {
  /** The image reference, e.g. {@code redis:7.0} or {@code ghcr.io/org/app:1.2}. */
  String value();

  /**
   * The name that picks this container for {@link Handle @Handle("name")}; also the container's name. Default: the
   * image's last path component ({@code redis} for {@code redis:7.0}).
   */
  String name() default "";

  /** Environment variables, each {@code NAME=value}. */
  String[] env() default {};

  /** Replaces the image's command (Cmd). */
  String[] command() default {};

  /**
   * TCP ports of the container to publish on the host's 127.0.0.1, each on a free port; the test reads it with
   * {@link dev.skiff.engine.runtime.Container#mappedPort(int)}. The container counts as started once all of them
   * listen inside it, unless {@link #waitFor()} says otherwise.
   */
  int[] ports() default {};

  /**
   * When the container is ready, in {@link ReadinessSpec}'s notation: {@code "ports"}, {@code "log:REGEX"},
   * {@code "log:REGEX:TIMES"}, {@code "http:/PATH"}, {@code "http:/PATH:STATUS"}, {@code "command:SHELL COMMAND"},
   * {@code "healthcheck"}; several entries must all hold. Default: {@code "ports"} when {@link #ports()} are given,
   * else ready once started.
   */
  String[] waitFor() default {};

  /** How long the container may take to become ready, in seconds; 0 for the engine's default (60 s). */
  int startupTimeoutSeconds() default 0;

  /**
   * Networks, by name, the container joins. Containers of a test on one network reach each other by their names
   * ({@link #name()}) and {@link #aliases()}, on any port, without publishing it. A network lives as long as the
   * longest-lived container declared on it (per test, class or suite) and is shared within that scope, so a
   * per-test container can reach a per-class one on the same network.
   */
  String[] networks() default {};

  /** More names the container has on each of its {@link #networks()}, e.g. {@code "db"}. */
  String[] aliases() default {};

  /** How long the container lives and who shares it. */
  Lifecycle lifecycle() default Lifecycle.DEFAULT;
}
