package dev.skiff.engine.pull;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.Descriptor;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.layer.LayerUnpacker;
import dev.skiff.engine.layer.UnpackedLayer;
import dev.skiff.engine.registry.RegistryClient;
import dev.skiff.engine.store.ImageStore;
import dev.skiff.engine.store.LayerRecord;
import dev.skiff.engine.store.StoreLock;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one layer and unpacks it into the store in the same pass, under the layer's lock so that concurrent
 * pulls (threads or JVMs) fetch it once. The layer becomes visible only after both its digests check out.
 */
final class LayerDownload {
  private static final Logger LOG = LoggerFactory.getLogger(LayerDownload.class);

  private final ImageStore store;
  private final RegistryClient registry;
  private final LayerUnpacker unpacker;
  private final ImageReference source;
  private final Descriptor blob;
  private final Digest diffId;
  private final PullListener listener;

  LayerDownload(ImageStore store, RegistryClient registry, LayerUnpacker unpacker, ImageReference source,
      Descriptor blob, Digest diffId, PullListener listener) {
    this.store = store;
    this.registry = registry;
    this.unpacker = unpacker;
    this.source = source;
    this.blob = blob;
    this.diffId = diffId;
    this.listener = listener;
  }

  void run() throws IOException {
    try (StoreLock ignored = store.lock(diffId)) {
      if (store.layer(diffId).isPresent()) {
        LOG.debug("Layer {} arrived from another pull meanwhile", diffId.shortHex());
        listener.layerDone(blob.digest(), 0);
        return;
      }
      Path work = store.newTempDir();
      try {
        Path fs = Files.createDirectory(work.resolve("fs"));
        String what = "layer " + blob.digest() + " of " + source;
        UnpackedLayer unpacked;
        try (InputStream in = new Progress(registry.openBlob(source, blob))) {
          unpacked = unpacker.unpack(in, fs, what);
        }
        verify(unpacked, what);
        store.commitLayer(work, new LayerRecord(diffId, blob.digest(), blob.size(), unpacked.size(),
            unpacked.compression().name().toLowerCase(java.util.Locale.ROOT), unpacked.crossLayerLinks()));
        listener.layerDone(blob.digest(), blob.size());
      } finally {
        store.delete(work); // gone already when committed
      }
    }
  }

  private void verify(UnpackedLayer unpacked, String what) throws PullException {
    if (!unpacked.blobDigest().equals(blob.digest()) || unpacked.blobSize() != blob.size()) {
      throw new PullException(what + ": the downloaded blob has digest " + unpacked.blobDigest() + " and "
          + unpacked.blobSize() + " bytes, but the manifest promises " + blob.digest() + " and " + blob.size()
          + ". The registry or a proxy served altered content; nothing was stored. Try again; if it persists, the"
          + " image on the registry is corrupt.");
    }
    if (!unpacked.diffId().equals(diffId)) {
      throw new PullException(what + ": the uncompressed layer has digest " + unpacked.diffId() + " but the image"
          + " config says " + diffId + ". The image is malformed; nothing was stored. Rebuild and push it.");
    }
  }

  /** Reports bytes as they arrive. */
  private final class Progress extends FilterInputStream {
    Progress(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        listener.downloaded(blob.digest(), n);
      }
      return n;
    }
  }
}
