package dev.skiff.engine.layer;

import java.io.IOException;

/** An entry that must not be extracted because it would reach outside the layer directory; says why. */
final class UnsafeEntryException extends IOException {
  private static final long serialVersionUID = 1L;

  UnsafeEntryException(String reason) {
    super(reason);
  }
}
