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
 * A Node.js version from the official {@code node} image ({@link dev.skiff.catalog.NodeImage}), injected as a
 * {@link dev.skiff.catalog.NodeRuntime} that runs scripts and commands in the project directory:
 *
 * <pre>{@code
 * @Node(version = "20", project = "src/main/node")
 * class RendererTest {
 *   @Test void renders(NodeRuntime node) throws Exception {
 *     assertThat(node.run("render.js", "42").stdout()).isEqualTo("42.00\n");
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
@Repeatable(Node.List.class)
@ExtendWith(SkiffExtension.class)
public @interface Node {
  /** The image tag: {@code node:VERSION}. */
  String version() default "20";

  /** The name that picks it for {@link Handle}; default {@code node}. */
  String name() default "";

  /** A host directory (relative to the working directory, usually the module's) put at {@code /app}; empty: none. */
  String project() default "";

  /** Bind {@link #project()} in (writes show on the host) instead of copying it. */
  boolean bindProject() default false;

  /** Environment variables, each {@code NAME=value}. */
  String[] env() default {};

  /**
   * Networks (by name) the container joins; containers on one network reach each other by name (this one's is
   * {@link #name()}'s value) and by {@link #aliases()}. See {@link Image#networks()}.
   */
  String[] networks() default {};

  /** More names the container has on each of its {@link #networks()}. */
  String[] aliases() default {};

  Lifecycle lifecycle() default Lifecycle.DEFAULT;

  /** Holds repeated {@code @Node} annotations (two of them need distinct {@link #name()}s); the compiler writes it. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
  @ExtendWith(SkiffExtension.class)
  @interface List {
    Node[] value();
  }
}
