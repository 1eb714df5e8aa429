package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecResult;
import java.io.IOException;
import java.util.stream.Stream;

/**
 * A started {@link NodeImage} container: runs scripts and commands in its Node version, in {@value
 * NodeImage#PROJECT_DIRECTORY}.
 * Each returns the exit code and output, never throwing for a failing command. Closing it removes the container.
 */
public final class NodeRuntime implements AutoCloseable {
  private final Container container;

  NodeRuntime(Container container) {
    this.container = container;
  }

  /** {@code node SCRIPT ARGS...}, the script's path relative to the project directory. */
  public ExecResult run(String script, String... args) throws IOException, InterruptedException {
    return exec(Stream.concat(Stream.of("node", script), Stream.of(args)).toArray(String[]::new));
  }

  /** Any command, e.g. {@code exec("npm", "test")} or {@code exec("node", "--test")}. */
  public ExecResult exec(String... command) throws IOException, InterruptedException {
    return container.exec(command);
  }

  /** {@code node -e JAVASCRIPT}. */
  public ExecResult eval(String javascript) throws IOException, InterruptedException {
    return exec("node", "-e", javascript);
  }

  /** {@code node --version}, e.g. {@code v20.11.1}. */
  public String version() throws IOException, InterruptedException {
    ExecResult result = exec("node", "--version");
    if (result.exitCode() != 0) {
      throw new IllegalStateException("node --version failed in " + container + " with exit code "
          + result.exitCode() + ": " + result.stderr());
    }
    return result.stdout().trim();
  }

  /** The container, for its logs, exec and files. */
  public Container container() {
    return container;
  }

  /** Removes the container. */
  @Override
  public void close() throws IOException {
    container.remove();
  }

  @Override
  public String toString() {
    return "NodeRuntime (" + container + ")";
  }
}
