package dev.skiff.engine.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Creates SHA-256 message digests; every JVM has one, so the checked exception is not the caller's concern. */
public final class Sha256 {
  private Sha256() {}

  /** A fresh SHA-256 {@link MessageDigest}. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no SHA-256, which every Java platform must provide", e);
    }
  }
}
