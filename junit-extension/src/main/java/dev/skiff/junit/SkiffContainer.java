package dev.skiff.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares a container in code: the field holds a {@link dev.skiff.engine.runtime.ContainerSpec} (or its {@code
 * Builder}). A static field's container lives {@linkplain Lifecycle#PER_CLASS per class}, an instance field's
 * {@linkplain Lifecycle#PER_TEST per test}, unless {@link #lifecycle()} says otherwise.
 *
 * <pre>{@code
 * @SkiffContainer
 * static ContainerSpec db = ContainerSpec.builder("postgres:15").env("POSTGRES_PASSWORD", "pw").build();
 *
 * @Test void query(@Handle("db") Container db) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.ANNOTATION_TYPE})
@ExtendWith(SkiffExtension.class)
public @interface SkiffContainer {
  /** The name that picks this container for {@link Handle @Handle}; default: the field's name. */
  String name() default "";

  /** Networks, by name, the container joins besides those its spec names; see {@link Image#networks()}. */
  String[] networks() default {};

  /** More names the container has on each of its {@link #networks()}. */
  String[] aliases() default {};

  /** How long the container lives and who shares it. */
  Lifecycle lifecycle() default Lifecycle.DEFAULT;
}
