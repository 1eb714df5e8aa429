package dev.skiff.engine.hash;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0...}: the address of a blob in a registry and in the store.
 *
 * <p>Only {@code sha256} and {@code sha512} are accepted, as the OCI image spec requires of registries.
 */
public final class Digest implements Comparable<Digest> {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  private final String algorithm;
  private final String hex;

  private Digest(String algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  /**
   * Parses {@code algorithm:hex}.
   *
   * @throws IllegalArgumentException naming the bad value and the expected form
   */
  public static Digest parse(String value) {
    Objects.requireNonNull(value, "digest");
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "Invalid digest '" + value + "': expected 'sha256:' followed by 64 lowercase hex characters");
    }
    String algorithm = value.substring(0, colon);
    String hex = value.substring(colon + 1);
    Pattern expected =
        switch (algorithm) {
          case "sha256" -> SHA256;
          case "sha512" -> SHA512;
          default -> throw new IllegalArgumentException(
              "Unsupported digest algorithm '" + algorithm + "' in '" + value + "': only sha256 and sha512 are supported");
        };
    if (!expected.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "Invalid " + algorithm + " digest '" + value + "': expected " + (algorithm.equals("sha256") ? 64 : 128)
              + " lowercase hex characters after the colon");
    }
    return new Digest(algorithm, hex);
  }

  /** A sha256 digest from its raw 32 bytes. */
  public static Digest sha256(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("A sha256 digest has 32 bytes, not " + raw.length);
    }
    return new Digest("sha256", HexFormat.of().formatHex(raw));
  }

  /** The sha256 digest of {@code content}. */
  public static Digest sha256Of(byte[] content) {
    return sha256(Sha256.newDigest().digest(content));
  }

  /** {@code sha256} or {@code sha512}. */
  public String algorithm() {
    return algorithm;
  }

  /** The lowercase hex part, which names the blob's file in the store. */
  public String hex() {
    return hex;
  }

  /** The first 12 hex characters, as shown to people. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.algorithm.equals(algorithm) && d.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
