package dev.skiff.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** An image manifest: the config blob and the layers, bottom first. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {
  public ImageManifest {
    layers = List.copyOf(layers);
  }

  static ImageManifest fromJson(String mediaType, JsonNode root, String where) {
    JsonNode config = root.get("config");
    JsonNode layers = root.get("layers");
    if (config == null || !config.isObject() || layers == null || !layers.isArray()) {
      throw new InvalidManifestException(where + ": the image manifest lacks 'config' or 'layers'");
    }
    List<Descriptor> list = new ArrayList<>();
    for (JsonNode n : layers) {
      Descriptor layer = JsonSupport.descriptor(n, where);
      if (!MediaTypes.isLayer(layer.mediaType())) {
        throw new InvalidManifestException(where + ": layer " + layer.digest() + " has media type '"
            + layer.mediaType() + "', which is not a filesystem layer; this is an artifact, not a runnable image");
      }
      list.add(layer);
    }
    return new ImageManifest(mediaType, JsonSupport.descriptor(config, where), list);
  }
}
