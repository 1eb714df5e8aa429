package dev.skiff.engine.layer;

/**
 * How whiteouts and opaque directories are written into unpacked layers, so that overlayfs honours them when the
 * layers are stacked. Whiteouts are 0/0 character devices in both formats; the formats differ in the xattr that
 * marks a directory opaque.
 */
public enum WhiteoutFormat {
  /** {@code trusted.overlay.opaque=y}: read by an overlay mount made by real root. */
  OVERLAY_TRUSTED("trusted.overlay."),
  /** {@code user.overlay.opaque=y}: read by a rootless overlay mount with the {@code userxattr} option. */
  OVERLAY_USER("user.overlay.");

  private final String xattrPrefix;

  WhiteoutFormat(String xattrPrefix) {
    this.xattrPrefix = xattrPrefix;
  }

  /** The name of the xattr that marks a directory opaque. */
  public String opaqueXattr() {
    return xattrPrefix + "opaque";
  }

  /** Whether an xattr belongs to overlayfs in either format, so a layer must not carry it. */
  static boolean isOverlayXattr(String name) {
    return name.startsWith(OVERLAY_TRUSTED.xattrPrefix) || name.startsWith(OVERLAY_USER.xattrPrefix);
  }
}
