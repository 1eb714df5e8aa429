/**
 * Unpacking OCI image layers into directories that overlayfs can stack, and flattening such directories into one
 * when it cannot.
 *
 * <p>{@link dev.skiff.engine.layer.LayerUnpacker} turns a layer blob into a directory in one streaming pass and
 * reports its digests; {@link dev.skiff.engine.layer.RootfsFlattener} copies stacked layer directories into a
 * plain root file system. Whiteouts are stored the way overlayfs reads them (see {@link
 * dev.skiff.engine.layer.WhiteoutFormat}), so a layer directory never holds {@code .wh.} files.
 */
package dev.skiff.engine.layer;
