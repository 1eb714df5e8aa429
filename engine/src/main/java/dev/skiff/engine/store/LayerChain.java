package dev.skiff.engine.store;

import dev.skiff.engine.hash.Digest;
import java.nio.charset.StandardCharsets;

/** OCI's ChainID: the identity of a layer together with every layer beneath it. */
public final class LayerChain {
  private LayerChain() {}

  /** ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). */
  public static Digest next(Digest previousChain, Digest diffId) {
    if (previousChain == null) {
      return diffId;
    }
    return Digest.sha256Of((previousChain + " " + diffId).getBytes(StandardCharsets.UTF_8));
  }
}
