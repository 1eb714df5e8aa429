package dev.skiff.engine.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a registry's credentials as the Docker CLI does, so that pulls use what {@code docker login} saved.
 *
 * <p>The config is the JSON in {@code DOCKER_AUTH_CONFIG} if set (as CI systems provide it), else
 * {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. For a registry, {@code credHelpers[host]}
 * wins over {@code credsStore}, which wins over {@code auths[host]}. Keys may be written as {@code host},
 * {@code https://host} or {@code http://host/v1/}; Docker Hub's is {@code https://index.docker.io/v1/}.
 */
final class DockerConfigCredentials {
  private static final Logger log = LoggerFactory.getLogger(DockerConfigCredentials.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKER_HUB = "docker.io";
  private static final Set<String> DOCKER_HUB_HOSTS = Set.of(DOCKER_HUB, "index.docker.io", "registry-1.docker.io");
  /** Docker Hub's key in auths and credential stores, kept from the days of the v1 index. */
  private static final String DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";

  private final Map<String, String> environment;
  private final Path home;

  /**
   * @param environment the variables to read ({@code DOCKER_AUTH_CONFIG}, {@code DOCKER_CONFIG}, and {@code PATH}
   *     to find credential helpers), which helpers also run with
   * @param home the user's home directory, holding {@code .docker/config.json}
   */
  DockerConfigCredentials(Map<String, String> environment, Path home) {
    this.environment = Map.copyOf(environment);
    this.home = home;
  }

  /** Reads this process's environment and the {@code user.home} directory. */
  static DockerConfigCredentials fromEnvironment() {
    return new DockerConfigCredentials(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * The credentials configured for {@code registry}, a {@code host[:port]} such as {@code ghcr.io} or
   * {@code docker.io} (any of Docker Hub's names works).
   *
   * @return empty when none are configured, meaning anonymous access
   * @throws IOException if the config is malformed, or a credential helper it names is missing or fails
   */
  Optional<Credentials> forRegistry(String registry) throws IOException {
    String host = hostOf(registry);
    String serverUrl = host.equals(DOCKER_HUB) ? DOCKER_HUB_SERVER_URL : host;
    Optional<Config> found = readConfig();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Config config = found.get();

    Map.Entry<String, JsonNode> helper = entryFor(config.object("credHelpers"), host, serverUrl);
    if (helper != null) {
      String where = "credHelpers[\"" + helper.getKey() + "\"] in Docker config " + config.origin;
      log.debug("Asking the credential helper of {} for {}", where, serverUrl);
      return CredentialHelper.find(Config.helperName(helper.getValue(), where), environment, where).get(serverUrl);
    }
    JsonNode store = config.root.path("credsStore");
    if (!store.isMissingNode() && !store.isNull() && !(store.isTextual() && store.asText().isEmpty())) {
      String where = "credsStore in Docker config " + config.origin;
      log.debug("Asking the credential store of {} for {}", where, serverUrl);
      return CredentialHelper.find(Config.helperName(store, where), environment, where).get(serverUrl);
    }
    Map.Entry<String, JsonNode> auth = entryFor(config.object("auths"), host, serverUrl);
    if (auth != null) {
      log.debug("Using auths[\"{}\"] in Docker config {} for {}", auth.getKey(), config.origin, host);
      return config.decodeAuth(auth.getKey(), auth.getValue());
    }
    log.debug("Docker config {} has no credentials for {}", config.origin, host);
    return Optional.empty();
  }

  private Optional<Config> readConfig() throws IOException {
    String inline = environment.get("DOCKER_AUTH_CONFIG");
    if (inline != null && !inline.isBlank()) {
      return Optional.of(Config.parse(inline, "DOCKER_AUTH_CONFIG (environment variable)"));
    }
    String dir = environment.get("DOCKER_CONFIG");
    Path file = (dir != null && !dir.isEmpty() ? Path.of(dir) : home.resolve(".docker")).resolve("config.json");
    if (!Files.exists(file)) {
      log.debug("No Docker config at {}, so registries are accessed anonymously", file);
      return Optional.empty();
    }
    String content;
    try {
      content = Files.readString(file);
    } catch (IOException e) {
      throw new IOException("Could not read Docker config " + file + " (" + e + "): check that it is a readable "
          + "UTF-8 file", e);
    }
    return Optional.of(Config.parse(content, file.toString()));
  }

  /** The entry of {@code object} for {@code host}: the one keyed exactly {@code serverUrl}, else the first match. */
  private static Map.Entry<String, JsonNode> entryFor(JsonNode object, String host, String serverUrl) {
    Map.Entry<String, JsonNode> match = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equals(serverUrl)) {
        return entry;
      }
      if (match == null && hostOf(entry.getKey()).equals(host)) {
        match = entry;
      }
    }
    return match;
  }

  /** The lower-case {@code host[:port]} of a server written as a host or URL, with Docker Hub's names folded. */
  private static String hostOf(String server) {
    String host = server.strip().toLowerCase(Locale.ROOT);
    if (host.startsWith("https://")) {
      host = host.substring("https://".length());
    } else if (host.startsWith("http://")) {
      host = host.substring("http://".length());
    }
    int slash = host.indexOf('/');
    host = slash < 0 ? host : host.substring(0, slash);
    return DOCKER_HUB_HOSTS.contains(host) ? DOCKER_HUB : host;
  }

  /** A parsed config and where it came from, for messages. */
  private static final class Config {
    final String origin;
    final JsonNode root;

    private Config(String origin, JsonNode root) {
      this.origin = origin;
      this.root = root;
    }

    static Config parse(String json, String origin) throws IOException {
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw new IOException("Docker config " + origin + " is not valid JSON: " + e.getOriginalMessage()
            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
            + ": fix the JSON, or remove the config to access registries anonymously", e);
      }
      if (!root.isObject()) {
        throw new IOException("Docker config " + origin + " must hold a JSON object, not " + describe(root)
            + ": fix it, or remove the config to access registries anonymously");
      }
      return new Config(origin, root);
    }

    /** A top-level object such as {@code auths}; empty when absent. */
    JsonNode object(String field) throws IOException {
      JsonNode node = root.path(field);
      if (node.isMissingNode() || node.isNull()) {
        return JSON.createObjectNode();
      }
      if (!node.isObject()) {
        throw new IOException("'" + field + "' in Docker config " + origin + " must be a JSON object, not "
            + describe(node) + ": fix the config");
      }
      return node;
    }

    static String helperName(JsonNode node, String where) throws IOException {
      if (!node.isTextual()) {
        throw new IOException(where + " must be a string naming a credential helper, not " + describe(node)
            + ": fix the config");
      }
      return node.asText();
    }

    Optional<Credentials> decodeAuth(String key, JsonNode entry) throws IOException {
      String where = "auths[\"" + key + "\"] in Docker config " + origin;
      if (!entry.isObject()) {
        throw new IOException(where + " must be a JSON object, not " + describe(entry) + ": fix the config");
      }
      String identityToken = entry.path("identitytoken").asText("");
      if (!identityToken.isEmpty()) {
        return Optional.of(new Credentials.IdentityToken(identityToken));
      }
      String auth = entry.path("auth").asText("");
      if (!auth.isEmpty()) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(auth.strip()), UTF_8);
        } catch (IllegalArgumentException e) {
          throw new IOException("The 'auth' of " + where + " is not base64 (" + e.getMessage() + "): set it to "
              + "the base64 of 'username:password', or log in again with docker login", e);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new IOException("The 'auth' of " + where + " does not decode to 'username:password': set it to "
              + "the base64 of 'username:password', or log in again with docker login");
        }
        return Optional.of(new Credentials.UsernamePassword(decoded.substring(0, colon),
            decoded.substring(colon + 1)));
      }
      String username = entry.path("username").asText("");
      if (!username.isEmpty()) {
        return Optional.of(new Credentials.UsernamePassword(username, entry.path("password").asText("")));
      }
      return Optional.empty();
    }

    private static String describe(JsonNode node) {
      return "a JSON " + node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
  }
}
