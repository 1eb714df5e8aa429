package dev.skiff.engine.layer;

/**
 * An entry of an unpacked layer whose owner could not be set (the unpacking process is not root), as the layer
 * records it.
 *
 * @param path relative to the layer's root, {@code ""} for the root itself
 * @param mode the twelve permission bits, which a later chown clears in part and must be set again
 */
public record FileOwner(String path, int uid, int gid, int mode) {}
