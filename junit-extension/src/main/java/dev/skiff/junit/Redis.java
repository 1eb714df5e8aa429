package dev.skiff.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Redis server from the official {@code redis} image ({@link dev.skiff.catalog.RedisImage}), injected as a
 * {@link dev.skiff.catalog.RedisServer} (its {@code redisUri()}, or its {@code Container}). Lifecycles, names and
 * composition work as for {@link Image}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(SkiffExtension.class)
public @interface Redis {
  /** The image tag: {@code redis:VERSION}. */
  String version() default "7.0";

  /** The name that picks it for {@link Handle}; default {@code redis}. */
  String name() default "";

  /** Clients must authenticate with it; empty: no password. */
  String password() default "";

  Lifecycle lifecycle() default Lifecycle.DEFAULT;
}
