package dev.skiff.engine.image;

import dev.skiff.engine.hash.Digest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fully qualified image reference such as {@code docker.io/library/redis:7.0}, parsed from the short forms people
 * write ({@code redis:7.0}, {@code ghcr.io/org/app@sha256:...}, {@code localhost:5000/app}).
 *
 * <p>Follows Docker's grammar {@code [host[:port]/]path[:tag][@algorithm:hex]}. The first path component names a
 * registry only if it contains {@code .} or {@code :} or is {@code localhost}; otherwise the image is on Docker Hub,
 * whose single-component names live under {@code library/}. A reference with neither tag nor digest gets the tag
 * {@code latest}. Registry hosts are lower-cased, and Docker Hub's aliases become {@code docker.io}.
 */
public final class ImageReference {
  private static final String DOCKER_HUB = "docker.io";
  private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
  private static final Set<String> DOCKER_HUB_ALIASES = Set.of(DOCKER_HUB, "index.docker.io", DOCKER_HUB_API_HOST);
  private static final String OFFICIAL_PREFIX = "library/";
  private static final String DEFAULT_TAG = "latest";
  private static final int MAX_NAME_LENGTH = 255;
  private static final int MAX_TAG_LENGTH = 128;

  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern PATH_CHARACTER = Pattern.compile("[a-z0-9._-]");
  private static final Pattern TAG = Pattern.compile("\\w[\\w.-]*");
  private static final Pattern TAG_CHARACTER = Pattern.compile("[\\w.-]");
  private static final Pattern DOMAIN_LABEL = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
  private static final Pattern DOMAIN_NAME =
      Pattern.compile(DOMAIN_LABEL.pattern() + "(?:\\." + DOMAIN_LABEL.pattern() + ")*");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+]");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

  private final String registry;
  private final String repository;
  private final String tag;
  private final Digest digest;

  private ImageReference(String registry, String repository, String tag, Digest digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses a reference as Docker does, e.g. {@code redis}, {@code redis:7.0}, {@code myorg/app@sha256:...},
   * {@code localhost:5000/app:1}, {@code [::1]:5000/app}.
   *
   * @throws InvalidReferenceException naming the part that is wrong and how to fix it
   */
  public static ImageReference parse(String reference) {
    Objects.requireNonNull(reference, "reference");
    if (reference.isEmpty()) {
      throw new InvalidReferenceException(reference, "it is empty", "name an image, such as 'redis:7.0'");
    }
    for (int i = 0; i < reference.length(); i++) {
      if (Character.isWhitespace(reference.charAt(i))) {
        throw new InvalidReferenceException(reference, "it contains whitespace", "remove the spaces");
      }
    }
    if (reference.contains("://")) {
      throw new InvalidReferenceException(reference, "it looks like a URL, but references have no scheme",
          "drop the scheme, as in '" + reference.substring(reference.indexOf("://") + 3) + "'");
    }
    if (IMAGE_ID.matcher(reference).matches()) {
      // Docker reserves bare 64-hex strings for image IDs, so it refuses them as names.
      throw new InvalidReferenceException(reference, "a 64-character hex string is an image ID, not a name",
          "name the repository and pin the digest, as in 'myorg/app@sha256:" + reference + "'");
    }

    String nameAndTag = reference;
    Digest digest = null;
    int at = reference.indexOf('@');
    if (at >= 0) {
      nameAndTag = reference.substring(0, at);
      digest = parseDigest(reference, reference.substring(at + 1));
    }

    if (nameAndTag.startsWith("[") && nameAndTag.indexOf('/') < 0) {
      throw new InvalidReferenceException(reference, "registry host '" + nameAndTag + "' has no repository after it",
          "add one after a '/', as in '" + nameAndTag + "/app'");
    }
    String name = nameAndTag;
    String tag = null;
    int colon = nameAndTag.lastIndexOf(':');
    if (colon > nameAndTag.lastIndexOf('/')) {
      name = nameAndTag.substring(0, colon);
      tag = nameAndTag.substring(colon + 1);
      checkTag(reference, tag);
    }
    if (name.isEmpty()) {
      throw new InvalidReferenceException(reference, "the repository name is missing",
          "put it before the tag or digest, as in 'redis" + reference + "'");
    }

    String registry = DOCKER_HUB;
    String path = name;
    int slash = name.indexOf('/');
    if (slash >= 0 && isRegistryHost(name.substring(0, slash))) {
      registry = checkRegistry(reference, name.substring(0, slash));
      path = name.substring(slash + 1);
    }
    checkPath(reference, path, name.length() - path.length());
    return create(reference, registry, path, tag, digest);
  }

  /** The registry host and optional port, e.g. {@code docker.io}, {@code ghcr.io}, {@code localhost:5000}. */
  public String registry() {
    return registry;
  }

  /** The repository path within the registry, e.g. {@code library/redis} or {@code myorg/app}. */
  public String repository() {
    return repository;
  }

  /** The tag; empty only for a reference that names a digest and no tag. */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** The pinned manifest digest, if the reference has one. */
  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /** What to ask the registry's manifest endpoint for: the digest if pinned (it wins over the tag), else the tag. */
  public String reference() {
    return digest != null ? digest.toString() : tag;
  }

  /** Whether the image lives on Docker Hub. */
  public boolean isDockerHub() {
    return registry.equals(DOCKER_HUB);
  }

  /** The host to send registry API requests to: {@code registry-1.docker.io} for Docker Hub, else the registry. */
  public String apiHost() {
    return isDockerHub() ? DOCKER_HUB_API_HOST : registry;
  }

  /**
   * The same repository, tag and digest on another registry (a mirror, say). Moving a single-component name to Docker
   * Hub puts it under {@code library/}, as parsing would.
   *
   * @throws InvalidReferenceException if {@code registry} is not a valid {@code host[:port]}
   */
  public ImageReference withRegistry(String registry) {
    Objects.requireNonNull(registry, "registry");
    String reference = registry + "/" + repository + suffix();
    return create(reference, checkRegistry(reference, registry), repository, tag, digest);
  }

  /**
   * The same image with another tag. A digest, if present, is kept and still decides what is pulled.
   *
   * @throws InvalidReferenceException if {@code tag} is not a valid tag
   */
  public ImageReference withTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    checkTag(name() + ":" + tag, tag);
    return new ImageReference(registry, repository, tag, digest);
  }

  /** The same image pinned to {@code digest}; the tag, if any, is kept for display. */
  public ImageReference withDigest(Digest digest) {
    Objects.requireNonNull(digest, "digest");
    return new ImageReference(registry, repository, tag, digest);
  }

  /**
   * The short form people write: {@code redis:7.0} for Docker Hub official images, {@code user/app:1} for other
   * Docker Hub images, the full form otherwise. Parsing it gives back an equal reference.
   */
  public String familiarName() {
    if (!isDockerHub()) {
      return toString();
    }
    String path = repository;
    if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
      path = path.substring(OFFICIAL_PREFIX.length());
    }
    int slash = path.indexOf('/');
    if (slash >= 0 && isRegistryHost(path.substring(0, slash))) {
      return toString(); // without docker.io/ its first component would read as a registry host
    }
    return path + suffix();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageReference r
        && r.registry.equals(registry)
        && r.repository.equals(repository)
        && Objects.equals(r.tag, tag)
        && Objects.equals(r.digest, digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }

  /** The canonical form, e.g. {@code docker.io/library/redis:7.0} or {@code ghcr.io/org/app:1@sha256:...}. */
  @Override
  public String toString() {
    return name() + suffix();
  }

  private String name() {
    return registry + "/" + repository;
  }

  private String suffix() {
    return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }

  private static ImageReference create(String reference, String registry, String path, String tag, Digest digest) {
    String repository = registry.equals(DOCKER_HUB) && path.indexOf('/') < 0 ? OFFICIAL_PREFIX + path : path;
    int length = registry.length() + 1 + repository.length();
    if (length > MAX_NAME_LENGTH) {
      throw new InvalidReferenceException(reference,
          "the name '" + registry + "/" + repository + "' is " + length + " characters long, over the limit of "
              + MAX_NAME_LENGTH,
          "use a shorter repository path");
    }
    return new ImageReference(registry, repository, tag == null && digest == null ? DEFAULT_TAG : tag, digest);
  }

  private static boolean isRegistryHost(String component) {
    return component.indexOf('.') >= 0 || component.indexOf(':') >= 0 || component.equals("localhost");
  }

  /** Validates {@code host[:port]} and returns it lower-cased, with Docker Hub's aliases folded to docker.io. */
  private static String checkRegistry(String reference, String registry) {
    String host = registry;
    String port = null;
    if (registry.startsWith("[")) {
      int close = registry.indexOf(']');
      host = close < 0 ? registry : registry.substring(0, close + 1);
      String rest = registry.substring(host.length());
      if (!IPV6.matcher(host).matches() || !(rest.isEmpty() || rest.startsWith(":"))) {
        throw new InvalidReferenceException(reference, "registry host '" + registry + "' is not a valid IPv6 address",
            "write it as hex digits and ':' in brackets, without a zone or embedded IPv4, as in '[fd00::1]:5000'");
      }
      port = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = registry.indexOf(':');
      if (colon >= 0) {
        host = registry.substring(0, colon);
        port = registry.substring(colon + 1);
      }
      if (port != null && port.indexOf(':') >= 0) {
        throw new InvalidReferenceException(reference,
            "registry host '" + registry + "' looks like a bare IPv6 address",
            "put the address in brackets, as in '[fd00::1]:5000/app'");
      }
      if (!DOMAIN_NAME.matcher(host).matches()) {
        throw new InvalidReferenceException(reference, "registry host '" + host + "' is not a valid host name",
            "use letters, digits, '-' and '.', starting and ending each label with a letter or digit");
      }
    }
    if (port != null && !isValidPort(port)) {
      throw new InvalidReferenceException(reference, "registry port '" + port + "' is not a number from 1 to 65535",
          "fix the port, or drop the ':' to use the default");
    }
    String normalised = registry.toLowerCase(Locale.ROOT);
    return DOCKER_HUB_ALIASES.contains(normalised) ? DOCKER_HUB : normalised;
  }

  private static boolean isValidPort(String port) {
    return PORT.matcher(port).matches() && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
  }

  /** Checks each '/'-separated component of {@code path}, which starts at {@code offset} in {@code reference}. */
  private static void checkPath(String reference, String path, int offset) {
    for (String component : path.split("/", -1)) {
      if (component.isEmpty()) {
        throw new InvalidReferenceException(reference, "repository path '" + path + "' has an empty component",
            "remove the leading, trailing or doubled '/'");
      }
      if (PATH_COMPONENT.matcher(component).matches()) {
        continue;
      }
      String lower = component.toLowerCase(Locale.ROOT);
      if (!lower.equals(component)) {
        String lowered = path.toLowerCase(Locale.ROOT);
        String fix = isValidPath(lowered)
            ? "try '" + reference.substring(0, offset) + lowered + reference.substring(offset + path.length()) + "'"
            : "use lowercase letters, digits and the separators '.', '_', '__' and '-'";
        throw new InvalidReferenceException(reference, "repository names must be lowercase", fix);
      }
      OptionalInt bad = firstDisallowed(component, PATH_CHARACTER);
      if (bad.isPresent()) {
        throw new InvalidReferenceException(reference,
            "repository component '" + component + "' contains '" + (char) bad.getAsInt() + "', which is not allowed",
            "use lowercase letters, digits and the separators '.', '_', '__' and '-'");
      }
      throw new InvalidReferenceException(reference, "repository component '" + component + "' is malformed",
          "start and end it with a letter or digit, and separate words with one '.', one or two '_', or '-'s");
    }
  }

  private static boolean isValidPath(String path) {
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        return false;
      }
    }
    return true;
  }

  private static void checkTag(String reference, String tag) {
    if (tag.isEmpty()) {
      throw new InvalidReferenceException(reference, "the tag after ':' is empty",
          "give a tag, as in ':latest', or drop the ':'");
    }
    if (tag.length() > MAX_TAG_LENGTH) {
      throw new InvalidReferenceException(reference,
          "the tag is " + tag.length() + " characters long, over the limit of " + MAX_TAG_LENGTH, "shorten it");
    }
    if (!TAG.matcher(tag).matches()) {
      char first = tag.charAt(0);
      if (first == '.' || first == '-') {
        throw new InvalidReferenceException(reference, "tag '" + tag + "' starts with '" + first + "'",
            "start it with a letter, digit or '_'");
      }
      char bad = (char) firstDisallowed(tag, TAG_CHARACTER).orElseThrow();
      throw new InvalidReferenceException(reference, "tag '" + tag + "' contains '" + bad + "', which is not allowed",
          "use letters, digits, '_', '.' and '-'");
    }
  }

  /** The first character of {@code text} that {@code allowed}, a one-character pattern, rejects. */
  private static OptionalInt firstDisallowed(String text, Pattern allowed) {
    return text.chars().filter(c -> !allowed.matcher(Character.toString(c)).matches()).findFirst();
  }

  private static Digest parseDigest(String reference, String digest) {
    if (digest.isEmpty()) {
      throw new InvalidReferenceException(reference, "nothing follows '@'",
          "give a digest, as in '@sha256:' and 64 hex characters, or drop the '@'");
    }
    if (digest.indexOf('@') >= 0) {
      throw new InvalidReferenceException(reference, "it has more than one '@'",
          "a reference pins at most one digest: 'name[:tag]@sha256:<hex>'");
    }
    try {
      return Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException(reference, "its digest is invalid", e.getMessage());
    }
  }
}
