package dev.skiff.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
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

  Lifecycle lifecycle() default Lifecycle.DEFAULT;
}
