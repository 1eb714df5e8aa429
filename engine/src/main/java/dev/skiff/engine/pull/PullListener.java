package dev.skiff.engine.pull;

import dev.skiff.engine.hash.Digest;

/** Hears how a pull goes; every method may be called from several download threads at once. */
public interface PullListener {
  PullListener SILENT = new PullListener() {};

  /** The manifest is known: {@code layers} layers of {@code bytes} compressed bytes, {@code cached} of them present. */
  default void started(String image, int layers, long bytes, int cached) {}

  /** {@code n} more bytes of a layer arrived. */
  default void downloaded(Digest layer, long n) {}

  /** A layer is unpacked and stored. */
  default void layerDone(Digest layer, long bytes) {}

  /** The pull ended, well or not. */
  default void finished(String image, boolean ok) {}
}
