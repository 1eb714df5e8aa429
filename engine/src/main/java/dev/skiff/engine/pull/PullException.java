package dev.skiff.engine.pull;

import java.io.IOException;

/** An image could not be pulled for a reason other than the registry's answer; the message says why and what to do. */
public class PullException extends IOException {
  public PullException(String message) {
    super(message);
  }

  public PullException(String message, Throwable cause) {
    super(message, cause);
  }
}
