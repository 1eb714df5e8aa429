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
 * A MariaDB database from the official {@code mariadb} image ({@link dev.skiff.catalog.MariaDbImage}), injected as a
 * {@link dev.skiff.catalog.MariaDbDatabase} (or {@link dev.skiff.catalog.JdbcDatabase}, or its {@code Container}):
 *
 * <pre>{@code
 * @MariaDB(version = "10.11", initScripts = "db/schema.sql")
 * class OrderRepositoryTest {
 *   @Test void saves(MariaDbDatabase db) throws SQLException {
 *     try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Lifecycles, names and composition work as for {@link Image}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Repeatable(MariaDB.List.class)
@ExtendWith(SkiffExtension.class)
public @interface MariaDB {
  /** The image tag: {@code mariadb:VERSION}. */
  String version() default "10.11";

  /** The name that picks it for {@link Handle}; default {@code mariadb}. */
  String name() default "";

  String databaseName() default "test";

  /** The user created with all rights on the database; {@code root} makes {@link #password()} root's. */
  String username() default "test";

  String password() default "test";

  String rootPassword() default "test";

  /** Class-path resources ({@code .sql}, {@code .sql.gz}, {@code .sh}) run in order at first start. */
  String[] initScripts() default {};

  /** Class-path resources in {@code my.cnf} syntax added to the server's configuration. */
  String[] configFiles() default {};

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

  /** Holds repeated {@code @MariaDB} annotations (two of them need distinct {@link #name()}s); the compiler writes it. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @ExtendWith(SkiffExtension.class)
  @interface List {
    MariaDB[] value();
  }
}
