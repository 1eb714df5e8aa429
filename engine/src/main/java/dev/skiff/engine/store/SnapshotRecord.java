package dev.skiff.engine.store;

import dev.skiff.engine.hash.Digest;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot as the store remembers it: the files of a cleanly stopped container, which later containers of an equal
 * spec start from.
 *
 * @param key hex sha256 over what determines the initialised files (see {@code ContainerSpec.Builder.snapshot})
 * @param image the image reference its seed container ran, as given
 * @param baseManifest the manifest digest of that image; the snapshot is stacked on its layers
 * @param inputs a readable summary of what went into the key (no variable values: they may be passwords)
 * @param size bytes of its files, as far as this user can read them
 */
public record SnapshotRecord(String key, String image, Digest baseManifest, Map<String, String> inputs,
    Instant created, long size) {

  public SnapshotRecord {
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }
}
