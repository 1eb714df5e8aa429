package dev.skiff.cli;

import dev.skiff.engine.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "stop", description = "Send containers their stop signal, then SIGKILL after the grace period.")
final class StopCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "grace period (default 10)")
  private int seconds = 10;

  @Parameters(arity = "1..*", paramLabel = "CONTAINER")
  private List<String> containers;

  @Override
  public Integer call() throws Exception {
    ContainerRuntime runtime = root.engine().runtime();
    for (String c : containers) {
      runtime.stop(runtime.find(c), Duration.ofSeconds(seconds));
      System.out.println(c);
    }
    return 0;
  }
}
