package dev.skiff.cli;

import dev.skiff.engine.runtime.ContainerRuntime;
import dev.skiff.engine.runtime.ExecSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "exec", description = "Run a command in a running container (one that any process of this machine"
    + " runs) and exit with its exit code.")
final class ExecCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Option(names = {"-i", "--interactive"}, description = "Pass skiff's stdin to the command.")
  private boolean interactive;

  @Option(names = {"-t", "--tty"}, description = "Give the command a pseudo-terminal (with -i and a terminal: an"
      + " interactive session in raw mode, e.g. skiff exec -it NAME sh).")
  private boolean tty;

  @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE")
  private List<String> env = new ArrayList<>();

  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
  private String workdir;

  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "name, uid or uid:gid")
  private String user;

  @Parameters(index = "0", paramLabel = "CONTAINER", description = "name or (start of the) id")
  private String container;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
  private List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    ExecSpec.Builder spec = ExecSpec.builder(command.toArray(String[]::new)).timeout(Duration.ofDays(3650));
    EnvOptions.apply(env, spec::env);
    if (workdir != null) {
      spec.workingDir(workdir);
    }
    if (user != null) {
      spec.user(user);
    }
    ContainerRuntime runtime = root.engine().runtime();
    if (tty) {
      // As skiff run -t: the launcher holds the terminal (raw mode, window size) and restores it (RunCommand).
      return runtime.execAttached(runtime.find(container), spec.tty(true).build(), interactive);
    }
    return runtime.exec(runtime.find(container), spec.build(), interactive ? System.in : null, System.out,
        System.err);
  }
}
