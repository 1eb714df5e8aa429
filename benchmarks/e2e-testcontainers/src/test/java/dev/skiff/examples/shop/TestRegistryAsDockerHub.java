package dev.skiff.examples.shop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * The twin of the Skiff suite's class of the same name, as Testcontainers' image substitutor (named in
 * testcontainers.properties): Docker Hub names go to the local test registry (test-env/setup.sh), and {@code mysql}
 * runs its MariaDB image, which keeps the official mysql image's MYSQL_* contract. A user's project has neither.
 */
public final class TestRegistryAsDockerHub extends ImageNameSubstitutor {
  private final String registry = testRegistry();

  @Override
  public DockerImageName apply(DockerImageName original) {
    if (!original.getRegistry().isEmpty()) {
      return original;
    }
    DockerImageName image = original.getRepository().equals("mysql") ? DockerImageName.parse("mariadb:10.11")
        : original;
    String repository = image.getRepository().contains("/") ? image.getRepository()
        : "library/" + image.getRepository();
    return image.withRegistry(registry).withRepository(repository);
  }

  @Override
  protected String getDescription() {
    return "the Skiff test registry " + registry + " as Docker Hub";
  }

  private static String testRegistry() {
    String file = System.getProperty("skiff.testenv", ".test-env/test-env.properties");
    Properties testEnv = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      testEnv.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the test environment " + file + "; run test-env/setup.sh", e);
    }
    String registry = testEnv.getProperty("registry");
    if (registry == null || registry.isBlank()) {
      throw new IllegalStateException(file + " names no registry; rerun test-env/setup.sh");
    }
    return registry.strip();
  }
}
