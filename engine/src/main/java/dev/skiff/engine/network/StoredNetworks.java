package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.fs.TreeDeleter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Networks that outlive one JVM, for the skiff command line ({@code skiff network create|ls|rm}, {@code skiff run
 * --network}): {@code STORE/networks/NAME/} holds {@code network.json} (name, subnet, members) and {@code netns}, a
 * bind mount of the network's namespace that keeps it until {@link #remove}. Tests use {@code Engine.createNetwork}.
 */
public final class StoredNetworks {
  private final Path dir;
  private final NetworkNamespaces namespaces;

  /** The stored networks under {@code dir} ({@code STORE/networks}). */
  public StoredNetworks(Path dir, NetworkNamespaces namespaces) {
    this.dir = dir;
    this.namespaces = namespaces;
  }

  /** What {@code skiff network ls} shows of a network. */
  public record Description(String name, String subnet, List<String> members) {}

  /**
   * Creates the network {@code name}.
   *
   * @throws IllegalArgumentException when a network of that name exists
   */
  public Description create(String name) throws IOException {
    Network.requireValidName(name);
    Files.createDirectories(dir);
    List<Subnet> taken = list().stream().map(d -> Subnet.parse(d.subnet())).toList();
    Path home = dir.resolve(name);
    try {
      Files.createDirectory(home);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IllegalArgumentException("A network named " + name + " exists already (" + home + ")", e);
    }
    Subnet subnet = Subnet.allocate(taken);
    try {
      ObjectNode json = Members.JSON.createObjectNode().put("name", name).put("subnet", subnet.toString());
      json.putArray("members");
      Files.write(home.resolve("network.json"), Members.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
      namespaces.persist(name, home.resolve("netns"));
      return new Description(name, subnet.toString(), List.of());
    } catch (IOException | RuntimeException e) {
      TreeDeleter.delete(home);
      throw e;
    } finally {
      subnet.release();
    }
  }

  /**
   * The stored network {@code name}, to join containers to. Closing the handle leaves the network in place.
   *
   * @throws IllegalArgumentException when there is no such network
   */
  public Network open(String name) throws IOException {
    Description d = describe(name);
    Path netns = dir.resolve(name).resolve("netns");
    NetworkNamespace namespace = new NetworkNamespace() {
      @Override
      public Path path() {
        return netns;
      }

      @Override
      public void close() {
        // the bind mount keeps it; skiff network rm ends it
      }
    };
    return new Network(name, "network " + name, Subnet.parse(d.subnet()), namespace,
        Members.stored(dir.resolve(name).resolve("network.json")), false);
  }

  /** Every stored network, by name. */
  public List<Description> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Description> all = new ArrayList<>();
    try (Stream<Path> homes = Files.list(dir).sorted()) {
      for (Path home : (Iterable<Path>) homes::iterator) {
        if (Files.exists(home.resolve("network.json"))) {
          all.add(describe(home.getFileName().toString()));
        }
      }
    }
    return all;
  }

  private Description describe(String name) throws IOException {
    Network.requireValidName(name);
    JsonNode json;
    try {
      json = Members.JSON.readTree(Files.readAllBytes(dir.resolve(name).resolve("network.json")));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("No network named " + name + "; skiff network ls lists them", e);
    }
    List<String> members = Members.read(json.path("members")).stream()
        .filter(m -> Files.exists(m.hostsFile()))
        .map(Member::name)
        .toList();
    return new Description(name, json.path("subnet").asText(), members);
  }

  /**
   * Removes the network {@code name}: unmounts its namespace and deletes its directory.
   *
   * @throws IllegalArgumentException when there is no such network
   * @throws IllegalStateException when containers are still in it
   */
  public void remove(String name) throws IOException {
    Description d = describe(name);
    if (!d.members().isEmpty()) {
      throw new IllegalStateException("Network " + name + " still has members " + String.join(", ", d.members())
          + "; remove those containers first");
    }
    Path home = dir.resolve(name);
    namespaces.unpersist(home.resolve("netns"));
    TreeDeleter.delete(home);
  }
}
