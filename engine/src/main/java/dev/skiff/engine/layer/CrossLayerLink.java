package dev.skiff.engine.layer;

import java.util.Objects;

/**
 * A hardlink in a layer whose target was not in that layer, so it must lie in a lower one. The unpacker cannot
 * create it; whoever stacks the layers of an image resolves it (for instance by copying the target).
 *
 * @param path where the link belongs, relative to the root and without a leading slash (e.g. {@code usr/bin/vi})
 * @param target the path it links to, in the same form
 */
public record CrossLayerLink(String path, String target) {
  public CrossLayerLink {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(target, "target");
  }
}
