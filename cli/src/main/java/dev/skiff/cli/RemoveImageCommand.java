package dev.skiff.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rmi", description = "Forget images and their snapshots (unless another tag names the same image);"
    + " 'skiff prune' then frees their content.")
final class RemoveImageCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  private List<String> images;

  @Override
  public Integer call() throws Exception {
    int missing = 0;
    for (String image : images) {
      int snapshots = root.engine().store().snapshots().list().size();
      if (root.engine().remove(image)) {
        int removed = snapshots - root.engine().store().snapshots().list().size();
        System.out.println("Removed " + image + (removed > 0 ? " and " + removed + " snapshot(s) of it" : ""));
      } else {
        System.err.println("skiff: " + image + " is not in the store");
        missing++;
      }
    }
    return missing == 0 ? 0 : 1;
  }
}
