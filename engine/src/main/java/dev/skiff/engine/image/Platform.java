package dev.skiff.engine.image;

import java.util.Locale;
import java.util.Objects;

/**
 * An OS/architecture pair such as {@code linux/amd64} or {@code linux/arm64/v8}, used to choose one manifest out of
 * an image index.
 */
public record Platform(String os, String architecture, String variant) {
  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null || variant.isEmpty() ? null : variant;
  }

  /** The platform of the running JVM, in OCI's (Go's) names. */
  public static Platform current() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> new Platform("linux", "amd64", null);
      case "aarch64", "arm64" -> new Platform("linux", "arm64", "v8");
      case "ppc64le" -> new Platform("linux", "ppc64le", null);
      case "s390x" -> new Platform("linux", "s390x", null);
      case "riscv64" -> new Platform("linux", "riscv64", null);
      case "arm" -> new Platform("linux", "arm", "v7");
      default -> new Platform("linux", arch, null);
    };
  }

  /**
   * Parses {@code os/arch[/variant]}.
   *
   * @throws IllegalArgumentException when the value has not two or three parts
   */
  public static Platform parse(String value) {
    String[] parts = value.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid platform '" + value + "': expected os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /**
   * Whether an index entry for {@code candidate} can run here: same OS and architecture, and the same variant
   * when both name one (arm64 entries often omit v8).
   */
  public boolean accepts(Platform candidate) {
    return os.equals(candidate.os)
        && architecture.equals(candidate.architecture)
        && (variant == null || candidate.variant == null || variant.equals(candidate.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
