package dev.skiff.engine.pull;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.layer.CrossLayerLink;
import dev.skiff.engine.layer.OwnershipRestorer;
import dev.skiff.engine.store.ImageRecord;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.store.LayerChain;
import dev.skiff.engine.store.LayerRecord;
import dev.skiff.engine.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * A tar hardlink may point at a file that only a lower layer has. overlayfs cannot link across layers, so such
 * links become copies, kept per layer chain (the same layer over other layers may see another file) in a fixup
 * directory stacked just above the layer.
 */
final class CrossLayerLinks {
  private final ImageStore store;
  private final OwnershipRestorer owners;

  CrossLayerLinks(ImageStore store, OwnershipRestorer owners) {
    this.store = store;
    this.owners = owners;
  }

  void resolve(ImageRecord image) throws IOException {
    Digest chain = null;
    List<ImageRecord.Layer> layers = image.layers();
    for (int i = 0; i < layers.size(); i++) {
      chain = LayerChain.next(chain, layers.get(i).diffId());
      LayerRecord layer = store.layer(layers.get(i).diffId()).orElseThrow();
      if (layer.crossLayerLinks().isEmpty() || Files.isDirectory(store.fixupFs(chain))) {
        continue;
      }
      try (StoreLock ignored = store.lock(chain)) {
        if (!Files.isDirectory(store.fixupFs(chain))) {
          build(image, layers.subList(0, i), layer, chain);
        }
      }
    }
  }

  private void build(ImageRecord image, List<ImageRecord.Layer> lower, LayerRecord layer, Digest chain)
      throws IOException {
    Path work = store.newTempDir();
    try {
      Path fs = Files.createDirectory(work.resolve("fs"));
      for (CrossLayerLink link : layer.crossLayerLinks()) {
        Path source = findBelow(lower, link.target());
        if (source == null) {
          throw new PullException("Layer " + layer.blobDigest() + " of " + image.reference() + " hardlinks '"
              + link.path() + "' to '" + link.target() + "', which no lower layer contains. The image is malformed;"
              + " rebuild and push it.");
        }
        Path target = fs.resolve(link.path());
        Files.createDirectories(target.getParent());
        owners.copy(source, target);
      }
      store.commitFixup(work, chain);
    } finally {
      store.delete(work);
    }
  }

  /**
   * The nearest lower layer's regular file at {@code path}; an overlay whiteout on the way hides it. A path through a
   * symlink counts as absent: following it here would read the host's files, not the image's.
   */
  private Path findBelow(List<ImageRecord.Layer> lower, String path) throws IOException {
    for (int i = lower.size() - 1; i >= 0; i--) {
      Path root = store.layerFs(lower.get(i).diffId());
      Path candidate = root.resolve(path).normalize();
      if (!candidate.startsWith(root) || throughSymlink(root, candidate)
          || !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      BasicFileAttributes attrs = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attrs.isRegularFile() ? candidate : null;
    }
    return null;
  }

  private static boolean throughSymlink(Path root, Path candidate) {
    for (Path p = candidate.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        return true;
      }
    }
    return false;
  }
}
