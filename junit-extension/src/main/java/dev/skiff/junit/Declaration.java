package dev.skiff.junit;

import dev.skiff.engine.runtime.ContainerSpec;

/**
 * One declared container, as found on a class, method or field: what to run and how long it lives.
 *
 * @param name what {@link Handle} picks it by
 * @param lifecycle its effective lifecycle (never DEFAULT)
 * @param owner the test class whose context a per-class container lives in
 * @param key what identifies the declaration within its scope
 * @param origin where it was declared, for messages, e.g. {@code @Image("redis:7.0") on com.example.CacheTest}
 */
record Declaration(String name, Lifecycle lifecycle, Class<?> owner, Object key, String origin, ContainerSpec spec,
    Object source) {

  /**
   * What identifies a per-suite container: its source — an annotation, equal to any annotation with the same
   * attributes, or a field's spec object, shared by the classes that refer to the same spec — so equal declarations
   * in different classes share one container and different ones never do.
   */
  Object suiteKey() {
    return source;
  }

  @Override
  public String toString() {
    return "'" + name + "' (" + origin + ")";
  }
}
