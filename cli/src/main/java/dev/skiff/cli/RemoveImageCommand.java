package dev.skiff.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rmi", description = "Forget images; 'skiff prune' then frees their content.")
final class RemoveImageCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  private List<String> images;

  @Override
  public Integer call() throws Exception {
    int missing = 0;
    for (String image : images) {
      if (root.engine().remove(image)) {
        System.out.println("Removed " + image);
      } else {
        System.err.println("skiff: " + image + " is not in the store");
        missing++;
      }
    }
    return missing == 0 ? 0 : 1;
  }
}
