package dev.skiff.engine.wait;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Waits until a command run inside the container ({@link Container#exec}) exits with 0. */
public final class CommandWaitStrategy extends TimedWaitStrategy {
  private final List<String> command;

  CommandWaitStrategy(List<String> command, Optional<Duration> startupTimeout) {
    super(startupTimeout);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("Wait.forSuccessfulCommand needs a command, e.g. (\"redis-cli\", \"ping\")");
    }
    this.command = List.copyOf(command);
  }

  @Override
  public CommandWaitStrategy withStartupTimeout(Duration timeout) {
    return new CommandWaitStrategy(command, Optional.of(timeout));
  }

  @Override
  void waitUntilReady(Container container, Duration timeout) throws ContainerNotReadyException {
    Polling.await(container, new Probe() {
      @Override
      String awaited() {
        return "the command " + command + " to succeed inside the container";
      }

      @Override
      boolean ready() throws Exception {
        ExecResult result = container.exec(command.toArray(String[]::new));
        observe(describe(result));
        return result.exitCode() == 0;
      }
    }, timeout);
  }

  /** An exec's outcome for messages: its exit code and the end of its output. */
  static String describe(ExecResult result) {
    String output = (result.stdout() + result.stderr()).strip();
    if (output.length() > 200) {
      output = "..." + output.substring(output.length() - 200);
    }
    return "exit code " + result.exitCode() + (output.isEmpty() ? "" : ", output: " + output);
  }

  @Override
  public String toString() {
    return "Wait.forSuccessfulCommand(" + command + ")";
  }
}
