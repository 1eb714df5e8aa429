package dev.skiff.engine.store;

import java.io.IOException;
import java.util.List;

/** Thrown when forgetting an image would leave files that containers of the store stack without an image record. */
public final class ImageInUseException extends IOException {
  private final String reference;
  private final List<String> containers;

  ImageInUseException(String reference, List<String> containers) {
    super("Cannot remove " + reference + ": container(s) " + String.join(", ", containers) + " of the store use its"
        + " files. Remove them first (skiff rm -f " + String.join(" ", containers) + "), or forget the image anyway"
        + " (skiff rmi --force, Engine.remove(reference, true)): its files then stay until those containers are gone,"
        + " and skiff prune frees them after.");
    this.reference = reference;
    this.containers = List.copyOf(containers);
  }

  /** The image that was not removed. */
  public String reference() {
    return reference;
  }

  /** The names of the containers that use it. */
  public List<String> containers() {
    return containers;
  }
}
