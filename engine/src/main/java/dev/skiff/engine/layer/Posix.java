package dev.skiff.engine.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.uid_t;

/**
 * The file-system calls that Java cannot make (full mode bits, lchown, mknod, verbatim symlinks, timestamps of
 * symlinks, xattrs), each checked: a failure becomes an IOException naming the call, the path and the errno.
 */
final class Posix {
  static final int S_IFMT = 0170000;
  static final int S_IFIFO = 0010000;
  static final int S_IFCHR = 0020000;
  static final int S_IFDIR = 0040000;
  static final int S_IFBLK = 0060000;
  static final int S_IFREG = 0100000;
  static final int S_IFLNK = 0120000;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int EEXIST = 17;
  private static final int ERANGE = 34;
  private static final int ENODATA = 61;
  private static final int EOPNOTSUPP = 95;

  /** Public only because jnr-ffi implements it from another class loader; unreachable outside this package. */
  public interface LibC {
    int chmod(String path, @mode_t int mode);

    int lchown(String path, @uid_t int uid, @gid_t int gid);

    int mknod(String path, @mode_t int mode, @dev_t long dev);

    int symlink(String target, String linkPath);

    int utimensat(int dirFd, String path, @In long[] times, int flags);

    int lsetxattr(String path, String name, @In byte[] value, @size_t long size, int flags);

    @ssize_t
    long lgetxattr(String path, String name, @Out byte[] value, @size_t long size);

    @ssize_t
    long llistxattr(String path, @Out byte[] list, @size_t long size);

    int geteuid();

    String strerror(int errno);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

  private Posix() {}

  static int geteuid() {
    return LIBC.geteuid();
  }

  /** Sets all twelve permission bits, setuid/setgid/sticky included; follows symlinks, so never call it on one. */
  static void chmod(Path path, int mode) throws IOException {
    check(LIBC.chmod(path.toString(), mode & 07777), "chmod", path);
  }

  static void lchown(Path path, int uid, int gid) throws IOException {
    check(LIBC.lchown(path.toString(), uid, gid), "lchown", path);
  }

  /** Creates a FIFO or device node; {@code typeAndMode} is e.g. {@code S_IFCHR | 0666}, {@code device} a dev_t. */
  static void mknod(Path path, int typeAndMode, long device) throws IOException {
    check(LIBC.mknod(path.toString(), typeAndMode, device), "mknod", path);
  }

  /** Creates a symlink holding {@code target} byte for byte (java.nio would normalise it). */
  static void symlink(String target, Path link) throws IOException {
    check(LIBC.symlink(target, link.toString()), "symlink", link);
  }

  /** Sets access and modification times of the path itself, not of what a symlink points to. */
  static void setTimes(Path path, FileTime accessed, FileTime modified) throws IOException {
    Instant a = accessed.toInstant();
    Instant m = modified.toInstant();
    long[] timespecs = {a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano()};
    check(LIBC.utimensat(AT_FDCWD, path.toString(), timespecs, AT_SYMLINK_NOFOLLOW), "utimensat", path);
  }

  /**
   * Sets an xattr on the path itself.
   *
   * @return false when the file system or our privileges do not allow this attribute (EPERM, ENOTSUP)
   */
  static boolean setXattr(Path path, String name, byte[] value) throws IOException {
    if (LIBC.lsetxattr(path.toString(), name, value, value.length, 0) == 0) {
      return true;
    }
    int errno = RUNTIME.getLastError();
    if (errno == EPERM || errno == EOPNOTSUPP) {
      return false;
    }
    throw failure("lsetxattr(" + name + ")", path, errno);
  }

  /** The value of an xattr of the path itself, or null when it has none by that name. */
  static byte[] getXattr(Path path, String name) throws IOException {
    byte[] buf = new byte[256];
    while (true) {
      long n = LIBC.lgetxattr(path.toString(), name, buf, buf.length);
      if (n >= 0) {
        return Arrays.copyOf(buf, (int) n);
      }
      int errno = RUNTIME.getLastError();
      if (errno == ENODATA || errno == EOPNOTSUPP) {
        return null;
      }
      if (errno != ERANGE) {
        throw failure("lgetxattr(" + name + ")", path, errno);
      }
      buf = new byte[buf.length * 4];
    }
  }

  /** The names of the xattrs of the path itself that this process may read. */
  static List<String> listXattrs(Path path) throws IOException {
    byte[] buf = new byte[1024];
    long n;
    while ((n = LIBC.llistxattr(path.toString(), buf, buf.length)) < 0) {
      int errno = RUNTIME.getLastError();
      if (errno == EOPNOTSUPP) {
        return List.of();
      }
      if (errno != ERANGE) {
        throw failure("llistxattr", path, errno);
      }
      buf = new byte[buf.length * 4];
    }
    List<String> names = new ArrayList<>();
    for (int start = 0, i = 0; i < n; i++) {
      if (buf[i] == 0) {
        names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return names;
  }

  /** The dev_t of a device number, as glibc's makedev encodes it. */
  static long device(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
  }

  private static void check(int result, String call, Path path) throws IOException {
    if (result != 0) {
      throw failure(call, path, RUNTIME.getLastError());
    }
  }

  private static IOException failure(String call, Path path, int errno) {
    String reason = LIBC.strerror(errno) + " (errno " + errno + ")";
    return switch (errno) {
      case EEXIST -> new FileAlreadyExistsException(path.toString(), null, call + " failed: " + reason);
      case ENOENT -> new NoSuchFileException(path.toString(), null, call + " failed: " + reason);
      default -> new IOException(call + " failed for " + path + ": " + reason);
    };
  }
}
