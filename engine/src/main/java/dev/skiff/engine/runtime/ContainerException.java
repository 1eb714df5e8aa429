package dev.skiff.engine.runtime;

import java.io.IOException;

/** A container could not be created, started, stopped or removed. The message says why and what to do. */
public class ContainerException extends IOException {
  public ContainerException(String message) {
    super(message);
  }

  public ContainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
