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
 * A MySQL database from the official {@code mysql} image ({@link dev.skiff.catalog.MySqlImage}), injected as a
 * {@link dev.skiff.catalog.MySqlDatabase} (or {@link dev.skiff.catalog.JdbcDatabase}, or its {@code Container}):
 *
 * <pre>{@code
 * @MySQL(version = "8.0", initScripts = "db/schema.sql")
 * class OrderRepositoryTest {
 *   @Test void saves(MySqlDatabase db) throws SQLException {
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
@Repeatable(MySQL.List.class)
@ExtendWith(SkiffExtension.class)
public @interface MySQL {
  /** The image tag: {@code mysql:VERSION}. */
  String version() default "8.0";

  /** The name that picks it for {@link Handle}; default {@code mysql}. */
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

  /** Holds repeated {@code @MySQL} annotations (two of them need distinct {@link #name()}s); the compiler writes it. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @ExtendWith(SkiffExtension.class)
  @interface List {
    MySQL[] value();
  }
}
