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
 * A Redis server from the official {@code redis} image ({@link dev.skiff.catalog.RedisImage}), injected as a
 * {@link dev.skiff.catalog.RedisServer} (its {@code redisUri()}, or its {@code Container}). Lifecycles, names and
 * composition work as for {@link Image}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(Redis.List.class)
@ExtendWith(SkiffExtension.class)
public @interface Redis {
  /** The image tag: {@code redis:VERSION}. */
  String version() default "7.0";

  /** The name that picks it for {@link Handle}; default {@code redis}. */
  String name() default "";

  /** Clients must authenticate with it; empty: no password. */
  String password() default "";

  /**
   * Networks (by name) the container joins; containers on one network reach each other by name (this one's is
   * {@link #name()}'s value) and by {@link #aliases()}. See {@link Image#networks()}.
   */
  String[] networks() default {};

  /** More names the container has on each of its {@link #networks()}. */
  String[] aliases() default {};

  Lifecycle lifecycle() default Lifecycle.DEFAULT;

  /** Holds repeated {@code @Redis} annotations (two of them need distinct {@link #name()}s); the compiler writes it. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @ExtendWith(SkiffExtension.class)
  @interface List {
    Redis[] value();
  }
}
