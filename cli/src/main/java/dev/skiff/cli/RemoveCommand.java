package dev.skiff.cli;

import dev.skiff.engine.runtime.ContainerRuntime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", description = "Remove containers that have ended (-f: kill running ones first).")
final class RemoveCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-f", "--force"}, description = "Kill a running container first.")
  private boolean force;

  @Parameters(arity = "1..*", paramLabel = "CONTAINER")
  private List<String> containers;

  @Override
  public Integer call() throws Exception {
    ContainerRuntime runtime = root.engine().runtime();
    for (String c : containers) {
      runtime.remove(runtime.find(c), force);
      System.out.println(c);
    }
    return 0;
  }
}
