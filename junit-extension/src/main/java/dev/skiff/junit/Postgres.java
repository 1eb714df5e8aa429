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
 * A PostgreSQL database from the official {@code postgres} image ({@link dev.skiff.catalog.PostgresImage}: durability
 * off for speed), injected as a {@link dev.skiff.catalog.PostgresDatabase} (or {@link dev.skiff.catalog.JdbcDatabase},
 * or its {@code Container}):
 *
 * <pre>{@code
 * @Postgres(version = "15", initScripts = "db/schema.sql")
 * class OrderRepositoryTest {
 *   @Test void saves(PostgresDatabase db) { ... db.jdbcUrl() ... }
 * }
 * }</pre>
 *
 * <p>Lifecycles, names and composition work as for {@link Image}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(Postgres.List.class)
@ExtendWith(SkiffExtension.class)
public @interface Postgres {
  /** The image tag: {@code postgres:VERSION}. */
  String version() default "15";

  /** The name that picks it for {@link Handle}; default {@code postgres}. */
  String name() default "";

  String databaseName() default "test";

  /** The superuser the entrypoint creates. */
  String username() default "test";

  String password() default "test";

  /** Class-path resources ({@code .sql}, {@code .sql.gz}, {@code .sh}) run in order at first start. */
  String[] initScripts() default {};

  /** Server settings, each {@code name=value}, passed as {@code postgres -c name=value}. */
  String[] settings() default {};

  /**
   * Networks (by name) the container joins; containers on one network reach each other by name (this one's is
   * {@link #name()}'s value) and by {@link #aliases()}. See {@link Image#networks()}.
   */
  String[] networks() default {};

  /** More names the container has on each of its {@link #networks()}. */
  String[] aliases() default {};

  /**
   * Whether the container starts from a snapshot of an equal declaration's initialised database (the first such
   * container in any JVM sharing the store initialises it, stops cleanly and keeps its files; later ones start on a
   * private copy-on-write view of them, skipping the initialisation). {@code false} initialises each container; see
   * {@link dev.skiff.engine.runtime.ContainerSpec.Builder#snapshot}.
   */
  boolean snapshot() default true;

  Lifecycle lifecycle() default Lifecycle.DEFAULT;

  /** Holds repeated {@code @Postgres} annotations (two of them need distinct {@link #name()}s); the compiler writes it. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @ExtendWith(SkiffExtension.class)
  @interface List {
    Postgres[] value();
  }
}
