package dev.skiff.engine.image;

/** A manifest, index or image config that cannot be used; the message says which image and why. */
public class InvalidManifestException extends RuntimeException {
  public InvalidManifestException(String message) {
    super(message);
  }
}
