package dev.skiff.engine.image;

import com.fasterxml.jackson.databind.JsonNode;

/** What a registry returns for a manifest request: either an image index or an image manifest. */
public sealed interface ManifestDocument permits ImageIndex, ImageManifest {

  /** The media type the document was read as. */
  String mediaType();

  /**
   * Reads a manifest response. The {@code mediaType} field is optional in both specs and some tools omit it, so the
   * Content-Type header decides first, then the field, then the shape of the document.
   *
   * @param where names the image, for error messages
   * @throws InvalidManifestException when the document is no manifest Skiff can use, saying why
   */
  static ManifestDocument parse(byte[] body, String contentType, String where) {
    JsonNode root = JsonSupport.readObject(body, "manifest", where);
    String type = mediaTypeOf(contentType, root);
    if (MediaTypes.isSchema1(type) || root.path("schemaVersion").asInt() == 1) {
      throw new InvalidManifestException(
          where + ": the registry served a Docker schema 1 manifest, which is deprecated and unsupported."
              + " Push the image again with a current Docker or build tool (schema 2 or OCI).");
    }
    if (MediaTypes.isIndex(type)) {
      return ImageIndex.fromJson(type, root, where);
    }
    if (MediaTypes.isImageManifest(type)) {
      return ImageManifest.fromJson(type, root, where);
    }
    throw new InvalidManifestException(
        where + ": unsupported manifest media type '" + type + "'; Skiff reads OCI and Docker schema 2 images");
  }

  private static String mediaTypeOf(String contentType, JsonNode root) {
    String header = contentType == null ? "" : contentType.split(";", 2)[0].trim();
    if (MediaTypes.isIndex(header) || MediaTypes.isImageManifest(header) || MediaTypes.isSchema1(header)) {
      return header;
    }
    String field = root.path("mediaType").asText("");
    if (!field.isEmpty()) {
      return field;
    }
    if (root.has("manifests")) {
      return MediaTypes.OCI_INDEX;
    }
    if (root.has("config") && root.has("layers")) {
      return MediaTypes.OCI_MANIFEST;
    }
    return header.isEmpty() ? "(none)" : header;
  }
}
