package dev.skiff.engine.image;

/**
 * An image reference that does not follow Docker's grammar. The message quotes the reference, names the part that
 * is wrong and says how to fix it.
 */
public final class InvalidReferenceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String reference;

  InvalidReferenceException(String reference, String problem, String fix) {
    super("Invalid image reference '" + reference + "': " + problem + ": " + fix);
    this.reference = reference;
  }

  /** The rejected text, as given. */
  public String reference() {
    return reference;
  }
}
