package dev.skiff.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The local registries that {@code test-env/setup.sh} started, read from the file it wrote. Integration tests need
 * them; when they are missing the tests fail with the command that fixes it instead of skipping silently.
 */
public final class TestEnvironment {
  private static Properties cached;

  private TestEnvironment() {}

  /** "127.0.0.1:PORT" of the plain registry holding every test image. */
  public static String registry() {
    return get("registry");
  }

  /** "127.0.0.1:PORT" of the registry that requires Basic auth (same images). */
  public static String authRegistry() {
    return get("auth.registry");
  }

  public static String authUsername() {
    return get("auth.username");
  }

  public static String authPassword() {
    return get("auth.password");
  }

  /** Any other value the set-up wrote, e.g. {@code token.registry}. */
  public static String property(String key) {
    return get(key);
  }

  /** A reference to a test image in the plain registry, e.g. {@code image("library/redis:7.0")}. */
  public static String image(String repositoryAndTag) {
    return registry() + "/" + repositoryAndTag;
  }

  private static synchronized String get(String key) {
    if (cached == null) {
      cached = load();
    }
    String v = cached.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("The test environment file lacks '" + key + "'; run test-env/setup.sh again.");
    }
    return v;
  }

  private static Properties load() {
    String location = System.getProperty("skiff.testenv");
    Path file = location != null ? Path.of(location) : findUpwards();
    if (file == null || !Files.isRegularFile(file)) {
      throw new IllegalStateException("No test environment at " + file + ". Integration tests pull from a local"
          + " registry: run 'test-env/setup.sh' from the repository root first (it installs, builds and starts"
          + " everything, and writes .test-env/test-env.properties).");
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + file + ": " + e, e);
    }
    return p;
  }

  private static Path findUpwards() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(".test-env/test-env.properties");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
