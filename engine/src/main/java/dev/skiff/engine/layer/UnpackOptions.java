package dev.skiff.engine.layer;

import dev.skiff.engine.fs.ProcessIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How layers are unpacked.
 *
 * @param privileged whether to restore ownership and create device nodes, which needs real root (root in the
 *     initial user namespace); without it files belong to the current user and devices are skipped
 * @param whiteouts the overlay format that whiteouts and opaque directories are written in
 */
public record UnpackOptions(boolean privileged, WhiteoutFormat whiteouts) {
  public UnpackOptions {
    Objects.requireNonNull(whiteouts, "whiteouts");
  }

  /**
   * Privileged with {@link WhiteoutFormat#OVERLAY_TRUSTED} for real root; otherwise unprivileged with {@link
   * WhiteoutFormat#OVERLAY_USER}. Root inside a user namespace counts as unprivileged: it can neither create
   * devices nor set {@code trusted.*} xattrs.
   */
  public static UnpackOptions forCurrentUser() {
    boolean privileged = ProcessIds.effectiveUid() == 0 && inInitialUserNamespace();
    return new UnpackOptions(privileged, privileged ? WhiteoutFormat.OVERLAY_TRUSTED : WhiteoutFormat.OVERLAY_USER);
  }

  // The initial namespace maps all 2^32 ids onto themselves: "0 0 4294967295".
  private static boolean inInitialUserNamespace() {
    try {
      String[] fields = Files.readString(Path.of("/proc/self/uid_map")).trim().split("\\s+");
      return fields.length == 3 && fields[0].equals("0") && fields[1].equals("0") && fields[2].equals("4294967295");
    } catch (IOException e) {
      return false;
    }
  }
}
