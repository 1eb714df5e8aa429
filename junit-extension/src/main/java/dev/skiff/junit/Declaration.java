package dev.skiff.junit;

import dev.skiff.catalog.ContainerDefinition;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.util.List;
import java.util.Optional;

/**
 * One declared container, as found on a class, method or field: what to run and how long it lives.
 *
 * @param name what {@link Handle} picks it by
 * @param lifecycle its effective lifecycle (never DEFAULT)
 * @param owner the test class whose context a per-class container lives in
 * @param key what identifies the declaration within its scope
 * @param origin where it was declared, for messages, e.g. {@code @Image("redis:7.0") on com.example.CacheTest}
 * @param definition the catalog definition it came from, which makes its handle; empty: the handle is the container
 * @param networks the networks it joins by name
 */
record Declaration(String name, Lifecycle lifecycle, Class<?> owner, Object key, String origin, ContainerSpec spec,
    Object source, Optional<ContainerDefinition<?>> definition, DeclaredNetworks networks) {

  /** What the test receives for it: the definition's handle type, else {@link Container}. */
  Class<?> handleType() {
    return definition.<Class<?>>map(ContainerDefinition::handleType).orElse(Container.class);
  }

  /** Whether a parameter or field of {@code type} can take this declaration's container or handle. */
  boolean injectableAs(Class<?> type) {
    return type == Container.class || type.isAssignableFrom(handleType());
  }

  /** The handle of {@code container}, started from this declaration. */
  Object handle(Container container) {
    return definition.<Object>map(d -> d.handle(container)).orElse(container);
  }

  /**
   * What identifies a per-suite container: its source — an annotation, equal to any annotation with the same
   * attributes, or a field's spec or definition object (definitions are values: equal ones share) — so equal
   * declarations in different classes share one container and different ones never do; plus the networks it joins.
   */
  Object suiteKey() {
    return List.of(source, networks);
  }

  @Override
  public String toString() {
    return "'" + name + "' (" + origin + ")";
  }
}
