package dev.skiff.cli;

import dev.skiff.engine.runtime.ContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "cp", description = {"Copy files between a container and this machine, as docker cp does:",
    "  skiff cp CONTAINER:PATH HOST_PATH   out of a container, running or exited",
    "  skiff cp HOST_PATH CONTAINER:PATH   into a running container",
    "A destination that is an existing host directory, or that ends in /, gets the source under its own name;"
        + " else the copy takes the destination's name."})
final class CopyCommand implements Callable<Integer> {
  @ParentCommand
  private SkiffCommand root;

  @Spec
  private CommandSpec command;

  @Parameters(index = "0", paramLabel = "SOURCE")
  private String source;

  @Parameters(index = "1", paramLabel = "DEST")
  private String destination;

  @Override
  public Integer call() throws Exception {
    ContainerRuntime runtime = root.engine().runtime();
    int from = containerSide(source);
    int to = containerSide(destination);
    if ((from > 0) == (to > 0)) {
      throw new ParameterException(command.commandLine(), "Exactly one of SOURCE and DEST names a container, as"
          + " CONTAINER:PATH (e.g. skiff cp web:/var/log/app.log . or skiff cp app.conf web:/etc/app.conf); got '"
          + source + "' and '" + destination + "'.");
    }
    if (from > 0) {
      String containerPath = source.substring(from + 1);
      Path host = Path.of(destination);
      if (destination.endsWith("/") || Files.isDirectory(host)) {
        host = host.resolve(name(containerPath));
      }
      runtime.copyFromContainer(runtime.find(source.substring(0, from)), containerPath, host);
    } else {
      String containerPath = destination.substring(to + 1);
      if (containerPath.endsWith("/")) {
        containerPath += name(source);
      }
      runtime.copyToContainer(runtime.find(destination.substring(0, to)), Path.of(source), containerPath);
    }
    return 0;
  }

  /** Where CONTAINER ends in CONTAINER:PATH, or -1 for a host path (one that starts with / or . may hold a :). */
  private static int containerSide(String arg) {
    return arg.startsWith("/") || arg.startsWith(".") ? -1 : arg.indexOf(':');
  }

  /** The last part of a path: what a copy into a directory is named there. */
  private String name(String path) {
    String trimmed = path.replaceAll("/+$", "");
    String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new ParameterException(command.commandLine(), "Cannot copy '" + path + "' into a directory under its"
          + " own name: it has none. Name the destination itself, e.g. skiff cp web:/ ./rootfs");
    }
    return name;
  }
}
