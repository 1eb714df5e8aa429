package dev.skiff.benchmarks.docker;

/** A docker command failed or could not run; the message names the command and says why. */
public final class DockerException extends Exception {
  public DockerException(String message) {
    super(message);
  }

  public DockerException(String message, Throwable cause) {
    super(message, cause);
  }
}
