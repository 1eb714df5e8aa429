package dev.skiff.cli;

import dev.skiff.engine.Engine;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code skiff} command: the engine from a terminal. */
@Command(
    name = "skiff",
    mixinStandardHelpOptions = true,
    version = "skiff 0.1.0",
    description = "Daemonless containers for tests. Settings: -Dskiff.*, SKIFF_* variables or skiff.properties.",
    subcommands = {RunCommand.class, PsCommand.class, ExecCommand.class, LogsCommand.class, StopCommand.class,
        RemoveCommand.class, PullCommand.class, ImagesCommand.class, InspectCommand.class, RemoveImageCommand.class,
        PruneCommand.class, NetworkCommand.class, LockCommand.class, CopyCommand.class})
public final class SkiffCommand implements Runnable {
  private Engine engine;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** The engine, created on first use so that --help works without a store. */
  Engine engine() throws IOException {
    if (engine == null) {
      engine = Engine.create();
    }
    return engine;
  }

  public static void main(String[] args) {
    SkiffCommand root = new SkiffCommand();
    CommandLine cli = new CommandLine(root)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // Our exceptions carry the whole story; a stack trace would bury it.
          cmd.getErr().println("skiff: " + e.getMessage());
          if (Boolean.getBoolean("skiff.debug")) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    // Everything after the image belongs to the container's command, flags included.
    cli.getSubcommands().get("run").setStopAtPositional(true);
    cli.getSubcommands().get("exec").setStopAtPositional(true);
    int code = cli.execute(args);
    if (root.engine != null) {
      root.engine.close();
    }
    System.exit(code);
  }
}
