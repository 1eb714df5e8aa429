package dev.skiff.cli;

import dev.skiff.engine.network.StoredNetworks;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "network", description = "Manage networks that containers join with 'skiff run --network'. They last"
    + " until removed (a network namespace bind-mounted under the store).",
    subcommands = {NetworkCommand.Create.class, NetworkCommand.Remove.class, NetworkCommand.List.class})
final class NetworkCommand implements Runnable {
  @ParentCommand
  private SkiffCommand root;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  StoredNetworks networks() throws IOException {
    return root.engine().storedNetworks();
  }

  @Command(name = "create", description = "Create a network and print its name.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    private NetworkCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    private String name;

    @Override
    public Integer call() throws Exception {
      parent.networks().create(name);
      System.out.println(name);
      return 0;
    }
  }

  @Command(name = "rm", description = "Remove networks that no container is in.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand
    private NetworkCommand parent;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    private java.util.List<String> names;

    @Override
    public Integer call() throws Exception {
      for (String name : names) {
        parent.networks().remove(name);
        System.out.println(name);
      }
      return 0;
    }
  }

  @Command(name = "ls", description = "List networks: name, subnet and members.")
  static final class List implements Callable<Integer> {
    @ParentCommand
    private NetworkCommand parent;

    @Override
    public Integer call() throws Exception {
      java.util.List<StoredNetworks.Description> all = parent.networks().list();
      int width = Math.max(4, all.stream().mapToInt(d -> d.name().length()).max().orElse(0));
      System.out.printf("%-" + width + "s  %-18s  %s%n", "NAME", "SUBNET", "MEMBERS");
      for (StoredNetworks.Description d : all) {
        System.out.printf("%-" + width + "s  %-18s  %s%n", d.name(), d.subnet(), String.join(",", d.members()));
      }
      return 0;
    }
  }
}
