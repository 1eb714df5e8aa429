package dev.skiff.catalog;

import dev.skiff.engine.runtime.ContainerSpec;
import java.util.List;
import java.util.stream.Stream;

/** Class-path resources copied into a directory of the container before it starts, in the order given. */
final class ClasspathFiles {
  /** Where the official database images' entrypoints find init scripts, run once at first start. */
  static final String INIT_DIRECTORY = "/docker-entrypoint-initdb.d";

  private ClasspathFiles() {}

  /**
   * Copies each resource as {@code NN-basename[suffix]} into {@code directory}: the two-digit prefix keeps the order
   * given, since entrypoints run or read such directories in name order.
   *
   * @param requiredSuffix appended unless the name ends with it already, e.g. {@code .cnf}; empty for none
   */
  static void copy(ContainerSpec.Builder spec, List<String> resources, String directory, String requiredSuffix) {
    for (int i = 0; i < resources.size(); i++) {
      String resource = resources.get(i);
      String base = resource.substring(resource.lastIndexOf('/') + 1);
      String name = String.format("%02d-%s%s", i + 1, base, base.endsWith(requiredSuffix) ? "" : requiredSuffix);
      int mode = base.endsWith(".sh") ? 0755 : 0644; // an executable script runs in its own process
      spec.copyInResource(resource, directory + "/" + name, mode);
    }
  }

  /** {@code resources} as an immutable list, every entry a plausible resource name. */
  static List<String> check(String what, List<String> resources) {
    for (String r : resources) {
      if (r == null || r.isBlank() || r.endsWith("/")) {
        throw new IllegalArgumentException("'" + r + "' does not name a class-path resource for the " + what
            + "; give a file's resource name, e.g. db/schema.sql");
      }
    }
    return List.copyOf(resources);
  }

  /** {@code list} with {@code elements} appended. */
  static List<String> plus(List<String> list, String... elements) {
    return Stream.concat(list.stream(), Stream.of(elements)).toList();
  }
}
