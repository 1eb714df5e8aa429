package dev.skiff.engine.runtime;

import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineConfig;
import dev.skiff.engine.cgroup.MemorySize;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run by {@link JvmDeathIT} and {@link CgroupIT} in a JVM of its own: {@code STORE IMAGE [MEMORY_LIMIT]} starts
 * {@code sleep 1000}, prints its pid, then waits to be killed.
 */
public final class ChildJvmContainer {
  private ChildJvmContainer() {}

  /** A child JVM holding a container, and what it printed of it. */
  record Held(Process jvm, long pid, String dir) {}

  /** Starts a child JVM with {@code args} ({@code STORE IMAGE [MEMORY_LIMIT]}) and waits until it holds its container. */
  static Held start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /** As {@link #start(String...)}, the JVM's command line after {@code prefix} (e.g. a shell that sets it up). */
  static Held start(List<String> prefix, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), ChildJvmContainer.class.getName()));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      line = out.readLine();
    }
    Matcher m = Pattern.compile("pid=(\\d+) dir=(\\w+)").matcher(String.valueOf(line));
    if (!m.matches()) {
      child.destroyForcibly();
      throw new AssertionError("The child JVM printed " + line + " instead of pid=PID dir=DIR");
    }
    return new Held(child, Long.parseLong(m.group(1)), m.group(2));
  }

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.create(EngineConfig.builder().store(Path.of(args[0])).build());
    ContainerSpec.Builder spec = ContainerSpec.builder(args[1]).command("sleep", "1000");
    if (args.length > 2) {
      spec.memory(MemorySize.parse(args[2]));
    }
    Container c = engine.run(spec.build());
    System.out.println("pid=" + c.pid() + " dir=" + c.shortId());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
