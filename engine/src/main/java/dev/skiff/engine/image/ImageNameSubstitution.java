package dev.skiff.engine.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites image references before pulling: whole images ({@code mysql} served as
 * {@code registry.example:5000/library/mysql}) and whole registries (Docker Hub served by a mirror). The image rules
 * apply first, then the registry mirrors to the result.
 */
public final class ImageNameSubstitution {
  /** No rewriting. */
  public static final ImageNameSubstitution NONE = new ImageNameSubstitution(List.of(), Map.of());

  private final List<Rule> images;
  private final Map<String, String> mirrors;

  /** One image rule; the flags record whether a tag was written, since parsing defaults it to latest. */
  private record Rule(ImageReference from, boolean anyTag, ImageReference to, boolean keepTag) {}

  private ImageNameSubstitution(List<Rule> images, Map<String, String> mirrors) {
    this.images = images;
    this.mirrors = mirrors;
  }

  /**
   * Builds substitutions from their textual form.
   *
   * @param images from → to; a {@code from} without tag matches every tag of that repository, and a {@code to}
   *     without tag keeps the tag asked for (e.g. {@code mysql → 127.0.0.1:5000/library/mariadb:10.11})
   * @param mirrors registry → registry, e.g. {@code docker.io → 127.0.0.1:5000}
   */
  public static ImageNameSubstitution of(Map<String, String> images, Map<String, String> mirrors) {
    List<Rule> parsedImages = new ArrayList<>();
    images.forEach((from, to) -> parsedImages.add(new Rule(ImageReference.parse(from.trim()), !hasTagOrDigest(from),
        ImageReference.parse(to.trim()), !hasTagOrDigest(to))));
    Map<String, String> parsedMirrors = new LinkedHashMap<>();
    mirrors.forEach((from, to) -> parsedMirrors.put(normaliseRegistry(from), to.trim()));
    return new ImageNameSubstitution(parsedImages, parsedMirrors);
  }

  /** What to pull for {@code requested}. */
  public ImageReference apply(ImageReference requested) {
    ImageReference result = requested;
    for (Rule rule : images) {
      Optional<ImageReference> rewritten = rewrite(requested, rule);
      if (rewritten.isPresent()) {
        result = rewritten.get();
        break;
      }
    }
    String mirror = mirrors.get(result.registry());
    return mirror == null ? result : result.withRegistry(mirror);
  }

  private static Optional<ImageReference> rewrite(ImageReference asked, Rule rule) {
    ImageReference from = rule.from();
    boolean sameRepo = asked.registry().equals(from.registry()) && asked.repository().equals(from.repository());
    if (!sameRepo || !(rule.anyTag() || from.reference().equals(asked.reference()))) {
      return Optional.empty();
    }
    if (!rule.keepTag()) {
      return Optional.of(rule.to());
    }
    ImageReference kept = asked.tag().map(rule.to()::withTag).orElse(rule.to());
    return Optional.of(asked.digest().map(kept::withDigest).orElse(kept));
  }

  /** Whether the last path component carries ":tag" or "@digest" (a registry's ":port" comes before a slash). */
  private static boolean hasTagOrDigest(String text) {
    String last = text.substring(text.lastIndexOf('/') + 1);
    return last.contains(":") || last.contains("@");
  }

  private static String normaliseRegistry(String registry) {
    String r = registry.trim();
    return r.equals("index.docker.io") || r.equals("registry-1.docker.io") ? "docker.io" : r;
  }

  @Override
  public String toString() {
    return "images " + images + ", mirrors " + mirrors;
  }
}
