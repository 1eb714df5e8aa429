package dev.skiff.junit;

import dev.skiff.engine.testing.TestEnvironment;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes the test registry stand in for Docker Hub before any test runs, so tests (and the sample classes they run)
 * declare images as users do, {@code @Image("busybox:1.35")}; an annotation cannot name a port known only at runtime.
 */
public class TestRegistryAsDockerHub implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    System.setProperty("skiff.registry.mirrors", "docker.io=" + TestEnvironment.registry());
  }
}
