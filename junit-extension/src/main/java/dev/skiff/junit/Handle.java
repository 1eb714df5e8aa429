package dev.skiff.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks for a started container. On a field of type {@link dev.skiff.engine.runtime.Container} it has the field
 * injected (a static field before all tests, an instance field before each); on a parameter it picks the container
 * by name. A {@code Container} parameter without it gets the test's only container.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(SkiffExtension.class)
public @interface Handle {
  /** The container's name ({@link Image#name()}, the {@link SkiffContainer} field's name); empty: the only one. */
  String value() default "";
}
