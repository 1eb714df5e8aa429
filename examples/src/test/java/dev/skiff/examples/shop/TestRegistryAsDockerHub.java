package dev.skiff.examples.shop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Only this repository needs this class (a copy of the examples leaves it out and pulls from Docker Hub): the
 * machine that builds Skiff reaches no Docker Hub, so the local test registry (test-env/setup.sh) stands in for it.
 * It has no MySQL image (Debian ships MariaDB only), so {@code mysql:*} runs its MariaDB image, which keeps the
 * official mysql image's MYSQL_* contract.
 */
public class TestRegistryAsDockerHub implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String file = System.getProperty("skiff.testenv");
    if (file == null || !Files.isRegularFile(Path.of(file))) {
      return;
    }
    Properties testEnv = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      testEnv.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the test environment " + file + "; rerun test-env/setup.sh", e);
    }
    System.setProperty("skiff.registry.mirrors", "docker.io=" + testEnv.getProperty("registry"));
    System.setProperty("skiff.image.substitutions", "mysql=mariadb:10.11");
  }
}
