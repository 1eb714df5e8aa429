package dev.skiff.engine.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * One container that {@link RootlessIT} runs both as root and, in {@link RootlessChild}, as the unprivileged test
 * user; passed to the child as JSON.
 *
 * @param bindReadOnly host path to bind read-only at the same path in the container, or null
 * @param tty whether the container has a pseudo-terminal
 */
public record RootlessRun(String name, String image, List<String> entrypoint, String user, String bindReadOnly,
    boolean tty) {
  ContainerSpec spec() {
    ContainerSpec.Builder b = ContainerSpec.builder(image).entrypoint(entrypoint.toArray(String[]::new))
        .hostname("skiff-rootless").tty(tty);
    if (user != null) {
      b.user(user);
    }
    if (bindReadOnly != null) {
      b.mount(ContainerSpec.Mount.bindReadOnly(Path.of(bindReadOnly), bindReadOnly));
    }
    return b.build();
  }

  /** What a run gave. */
  public record Result(String name, int exitCode, String stdout, String stderr) {}
}
