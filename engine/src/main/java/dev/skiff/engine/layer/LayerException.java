package dev.skiff.engine.layer;

import java.io.IOException;

/**
 * A layer blob whose content cannot or must not be unpacked: corrupt or truncated compression or tar data, or an
 * entry that would escape the layer directory. Retrying the same blob will fail the same way.
 */
public class LayerException extends IOException {
  private static final long serialVersionUID = 1L;

  LayerException(String message) {
    super(message);
  }

  LayerException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An entry that must not be unpacked; {@code reason} completes "entry 'x', which ...". */
  static LayerException refused(String what, String entry, String reason) {
    return new LayerException(
        what + ": refusing entry '" + entry + "', which " + reason
            + ". The layer is malformed or hostile and was not unpacked (nothing was written outside its"
            + " directory); use an image you trust, or rebuild this one.");
  }

  /** Compressed or tar data that cannot be read; {@code entry} is the entry being read, or null between entries. */
  static LayerException corrupt(String what, String entry, IOException cause) {
    return new LayerException(
        what + " is corrupt or truncated" + (entry == null ? "" : " in entry '" + entry + "'") + ": "
            + cause.getMessage() + ". Pull it again; if that fails the same way, the blob in the registry is"
            + " broken and the image must be pushed again.",
        cause);
  }
}
