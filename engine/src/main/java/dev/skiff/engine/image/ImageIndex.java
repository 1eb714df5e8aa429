package dev.skiff.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An OCI image index or Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) implements ManifestDocument {
  public ImageIndex {
    manifests = List.copyOf(manifests);
  }

  static ImageIndex fromJson(String mediaType, JsonNode root, String where) {
    JsonNode list = root.get("manifests");
    if (list == null || !list.isArray()) {
      throw new InvalidManifestException(where + ": the image index has no 'manifests' list");
    }
    List<Descriptor> manifests = new ArrayList<>();
    list.forEach(n -> manifests.add(JsonSupport.descriptor(n, where)));
    return new ImageIndex(mediaType, manifests);
  }

  /**
   * The first entry that is an image manifest for {@code platform}. Entries of unknown media types (attestations,
   * artifacts) are skipped, as the spec requires, and so are entries without a platform.
   */
  public Optional<Descriptor> select(Platform platform) {
    return manifests.stream()
        .filter(d -> MediaTypes.isImageManifest(d.mediaType()))
        .filter(d -> d.platform().filter(platform::accepts).isPresent())
        .findFirst();
  }

  /** The platforms on offer, for the error message when none fits. */
  public List<String> platforms() {
    return manifests.stream()
        .filter(d -> MediaTypes.isImageManifest(d.mediaType()))
        .map(d -> d.platform().map(Platform::toString).orElse("(no platform)"))
        .toList();
  }
}
