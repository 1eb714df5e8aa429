package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of a network, where every process that joins it sees them: in memory for a network of this JVM, in
 * its network.json (under a file lock) for a stored network that several skiff commands share.
 */
abstract class Members {
  /** Turns the current members into the next ones; runs under the lock, so it may also update their hosts files. */
  interface Update {
    List<Member> apply(List<Member> current) throws IOException;
  }

  /** Applies {@code update} under the lock and keeps its result. */
  abstract List<Member> update(Update update) throws IOException;

  static Members inMemory() {
    return new Members() {
      private List<Member> members = List.of();

      @Override
      synchronized List<Member> update(Update update) throws IOException {
        members = List.copyOf(update.apply(members));
        return members;
      }
    };
  }

  /** The "members" array of {@code json}, whose other fields are kept. */
  static Members stored(Path json) {
    return new Members() {
      @Override
      List<Member> update(Update update) throws IOException {
        try (StoreLock lock = StoreLock.acquire(json.resolveSibling("network.lock"), false)) {
          ObjectNode network = (ObjectNode) JSON.readTree(Files.readAllBytes(json));
          List<Member> next = List.copyOf(update.apply(read(network.path("members"))));
          ArrayNode array = network.putArray("members");
          for (Member m : next) {
            ObjectNode node = array.addObject()
                .put("name", m.name())
                .put("address", Subnet.format(m.address()))
                .put("hosts", m.hostsFile().toString());
            m.aliases().forEach(node.putArray("aliases")::add);
          }
          Path tmp = json.resolveSibling("network.json.next");
          Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(network));
          Files.move(tmp, json, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          return next;
        }
      }
    };
  }

  static final ObjectMapper JSON = new ObjectMapper();

  static List<Member> read(JsonNode members) {
    List<Member> list = new ArrayList<>();
    for (JsonNode m : members) {
      List<String> aliases = new ArrayList<>();
      m.path("aliases").forEach(a -> aliases.add(a.asText()));
      list.add(new Member(m.path("name").asText(), aliases, Subnet.parseAddress(m.path("address").asText()),
          Path.of(m.path("hosts").asText())));
    }
    return list;
  }
}
