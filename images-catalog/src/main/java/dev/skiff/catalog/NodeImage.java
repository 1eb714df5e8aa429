package dev.skiff.catalog;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Node.js version from the official {@code node} image, kept running so that tests can run scripts and commands in
 * it ({@link NodeRuntime#run}, {@link NodeRuntime#exec}) with a project directory of the host copied in (a snapshot)
 * or bound in (shared, so files the commands write appear on the host) at {@value #PROJECT_DIRECTORY}, the working
 * directory.
 *
 * <pre>{@code
 * try (NodeRuntime node = NodeImage.version("20").withProjectCopied(Path.of("src/main/node")).start(engine)) {
 *   ExecResult result = node.run("render.js", "--format", "text");
 * }
 * }</pre>
 */
public final class NodeImage implements ContainerDefinition<NodeRuntime> {
  /** Where the project directory is, and where commands run. */
  public static final String PROJECT_DIRECTORY = "/app";

  /** How the project gets into the container. */
  private enum Sharing { NONE, COPY, BIND }

  private final String image;
  private final Optional<Path> project;
  private final Sharing sharing;
  private final Map<String, String> env;

  private NodeImage(String image, Optional<Path> project, Sharing sharing, Map<String, String> env) {
    this.image = Objects.requireNonNull(image, "image");
    this.project = project.map(p -> p.toAbsolutePath().normalize());
    this.sharing = sharing;
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** {@code node:VERSION}, e.g. {@code 20}. */
  public static NodeImage version(String version) {
    return ofImage("node:" + version);
  }

  /** Another image with the official image's contract, e.g. a mirror's copy. */
  public static NodeImage ofImage(String image) {
    return new NodeImage(image, Optional.empty(), Sharing.NONE, Map.of());
  }

  /** Copies the host directory {@code project} into the container when it is created: later host changes stay out. */
  public NodeImage withProjectCopied(Path project) {
    return new NodeImage(image, Optional.of(requireDirectory(project)), Sharing.COPY, env);
  }

  /** Binds the host directory {@code project} into the container, writable: both sides see the same files. */
  public NodeImage withProjectBound(Path project) {
    return new NodeImage(image, Optional.of(requireDirectory(project)), Sharing.BIND, env);
  }

  /** Sets an environment variable for every command, e.g. {@code NODE_ENV=test}. */
  public NodeImage withEnv(String name, String value) {
    Map<String, String> changed = new LinkedHashMap<>(env);
    changed.put(name, value);
    return new NodeImage(image, project, sharing, changed);
  }

  private static Path requireDirectory(Path project) {
    if (!Files.isDirectory(project)) {
      throw new IllegalArgumentException("The NodeImage project " + project.toAbsolutePath() + " is not a directory;"
          + " give the directory holding the scripts (and package.json)");
    }
    return project;
  }

  public String image() {
    return image;
  }

  /** The host directory copied or bound in, if any. */
  public Optional<Path> project() {
    return project;
  }

  public Map<String, String> env() {
    return env;
  }

  @Override
  public ContainerSpec.Builder specBuilder() {
    ContainerSpec.Builder spec = ContainerSpec.builder(image)
        .command("tail", "-f", "/dev/null") // idles until removed; commands run through exec
        .init(true) // reaps what the commands leave behind
        .workingDir(PROJECT_DIRECTORY);
    env.forEach(spec::env);
    project.ifPresent(dir -> {
      if (sharing == Sharing.BIND) {
        spec.mount(ContainerSpec.Mount.bind(dir, PROJECT_DIRECTORY));
      } else {
        spec.copyIn(dir, PROJECT_DIRECTORY);
      }
    });
    return spec;
  }

  @Override
  public Class<NodeRuntime> handleType() {
    return NodeRuntime.class;
  }

  @Override
  public NodeRuntime handle(Container container) {
    return new NodeRuntime(container);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeImage n && n.image.equals(image) && n.project.equals(project) && n.sharing == sharing
        && n.env.equals(env);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, project, sharing, env);
  }

  @Override
  public String toString() {
    return "NodeImage[" + image + project.map(p -> ", project " + p + " " + sharing.name().toLowerCase()).orElse("")
        + "]";
  }
}
