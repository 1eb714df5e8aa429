package dev.skiff.engine.registry;

import java.io.IOException;

/**
 * A registry refused or failed a request. The message names the registry, the image and the registry's own error
 * code, and says what to do about it.
 */
public class RegistryException extends IOException {
  private final int status;

  public RegistryException(String message, int status) {
    super(message);
    this.status = status;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status, or 0 when no response came (connection refused, timeout). */
  public int status() {
    return status;
  }
}
