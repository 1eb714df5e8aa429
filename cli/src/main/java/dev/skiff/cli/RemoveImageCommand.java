package dev.skiff.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rmi", description = "Forget images and their snapshots (unless another tag names the same image);"
    + " 'skiff prune' then frees their content. Refused while containers use them (-f: forget them anyway).")
final class RemoveImageCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-f", "--force"}, description = "Forget images that containers use; their files stay until those"
      + " containers are removed.")
  private boolean force;

  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  private List<String> images;

  @Override
  public Integer call() throws Exception {
    int missing = 0;
    for (String image : images) {
      int snapshots = root.engine().store().snapshots().list().size();
      List<String> users = force ? root.engine().containersUsing(image) : List.of();
      if (root.engine().remove(image, force)) {
        int removed = snapshots - root.engine().store().snapshots().list().size();
        System.out.println("Removed " + image + (removed > 0 ? " and " + removed + " snapshot(s) of it" : "")
            + (users.isEmpty() ? "" : "; its files stay until container(s) " + String.join(", ", users)
                + " are removed"));
      } else {
        System.err.println("skiff: " + image + " is not in the store");
        missing++;
      }
    }
    return missing == 0 ? 0 : 1;
  }
}
