package dev.skiff.cli;

import dev.skiff.engine.runtime.ContainerRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", description = "Print a container's output: its stdout to stdout, its stderr to stderr.")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-f", "--follow"}, description = "Keep printing until the container ends.")
  private boolean follow;

  @Parameters(index = "0", paramLabel = "CONTAINER", description = "name or (start of the) id")
  private String container;

  @Override
  public Integer call() throws Exception {
    ContainerRuntime runtime = root.engine().runtime();
    runtime.logs(runtime.find(container), follow, System.out, System.err);
    return 0;
  }
}
