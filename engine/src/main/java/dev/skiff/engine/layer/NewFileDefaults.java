package dev.skiff.engine.layer;

import dev.skiff.engine.fs.ProcessIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What the kernel gives a file or directory created under a root: the permission bits asked for less the umask,
 * owned by this process's effective user and group. Knowing that lets a writer skip a chown or chmod that would
 * change nothing. When the root's setgid bit or default ACL would change either, nothing is assumed.
 */
final class NewFileDefaults {
  private static final int S_ISGID = 02000;
  private static final int UNKNOWN = -1;

  private final boolean predictable;
  private final int umask;
  private final int uid;
  private final int gid;

  private NewFileDefaults(boolean predictable, int umask, int uid, int gid) {
    this.predictable = predictable;
    this.umask = umask;
    this.uid = uid;
    this.gid = gid;
  }

  /** The defaults of files created anywhere below {@code root}, a directory this process has just made. */
  static NewFileDefaults under(Path root) throws IOException {
    int mode = (Integer) Files.getAttribute(root, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int umask = readUmask();
    boolean predictable = umask != UNKNOWN
        && (mode & S_ISGID) == 0 // new entries would take the root's group, and directories its setgid bit
        && Posix.getXattr(root, "system.posix_acl_default") == null; // a default ACL replaces the umask
    return new NewFileDefaults(predictable, umask, (int) ProcessIds.effectiveUid(), (int) ProcessIds.effectiveGid());
  }

  /** Whether creating with permission bits {@code requested} yields exactly {@code wanted} (all twelve bits). */
  boolean yieldsMode(int requested, int wanted) {
    return predictable && (requested & ~umask & 07777) == (wanted & 07777);
  }

  /** Whether a new entry is owned by {@code uid}:{@code gid} without a chown. */
  boolean yieldsOwner(int uid, int gid) {
    return predictable && uid == this.uid && gid == this.gid;
  }

  // Linux reports it in /proc/self/status since 4.7; reading it with umask(2) would change it for every thread.
  private static int readUmask() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown: every mode is set explicitly
    }
    return UNKNOWN;
  }
}
