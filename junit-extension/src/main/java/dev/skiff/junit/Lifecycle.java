package dev.skiff.junit;

/** How long a declared container lives, and so which tests share it. */
public enum Lifecycle {
  /**
   * {@link #PER_CLASS} for a declaration on a class or in a static field, as Testcontainers users expect of a
   * class-wide container; {@link #PER_TEST} for one on a method or in an instance field.
   */
  DEFAULT,
  /** A fresh container for each test method, never shared, removed after the test. */
  PER_TEST,
  /** One container for all tests of the declaring class and its {@code @Nested} classes, removed after them. */
  PER_CLASS,
  /**
   * One container for every test class in the JVM that declares the same container (same image, name, settings),
   * removed when all tests have run.
   */
  PER_SUITE
}
