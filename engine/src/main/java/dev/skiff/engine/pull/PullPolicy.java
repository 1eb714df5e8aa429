package dev.skiff.engine.pull;

/** When to ask the registry for an image. */
public enum PullPolicy {
  /** Pull only when the store lacks the image (the default). */
  MISSING,
  /** Ask the registry every time; download only what changed. */
  ALWAYS,
  /** Never touch the network: use what the store has, or fail (offline work). */
  NEVER;

  /**
   * Parses {@code missing}, {@code always} or {@code never} (case-insensitive; {@code if-not-present} too).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static PullPolicy parse(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "missing", "if-not-present", "ifnotpresent", "default" -> MISSING;
      case "always" -> ALWAYS;
      case "never", "offline" -> NEVER;
      default -> throw new IllegalArgumentException(
          "Unknown pull policy '" + value + "': use missing (default), always or never");
    };
  }
}
