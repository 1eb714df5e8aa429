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
import jnr.ffi.annotations.Pinned;
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

  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_EXCL = 0200;
  private static final int O_CLOEXEC = 02000000;
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

    int open(String path, int flags, @mode_t int mode);

    @ssize_t
    long write(int fd, @Pinned @In byte[] buf, @size_t long count);

    int close(int fd);

    int mkdir(String path, @mode_t int mode);

    int fchown(int fd, @uid_t int uid, @gid_t int gid);

    int fchmod(int fd, @mode_t int mode);

    int futimens(int fd, @In long[] times);

    int fsetxattr(int fd, String name, @In byte[] value, @size_t long size, int flags);

    int lchown(String path, @uid_t int uid, @gid_t int gid);

    int mknod(String path, @mode_t int mode, @dev_t long dev);

    int symlink(String target, String linkPath);

    int utimensat(int dirFd, String path, @In long[] times, int flags);

    int lsetxattr(String path, String name, @In byte[] value, @size_t long size, int flags);

    @ssize_t
    long lgetxattr(String path, String name, @Out byte[] value, @size_t long size);

    @ssize_t
    long llistxattr(String path, @Out byte[] list, @size_t long size);

    String strerror(int errno);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

  private Posix() {}

  /**
   * Creates a regular file that must not exist yet (a symlink there counts as existing) and opens it for writing.
   *
   * @param mode permission bits, less the umask as always
   * @return the file descriptor, to be closed with {@link #close}
   */
  static int createFile(Path path, int mode) throws IOException {
    int fd = LIBC.open(path.toString(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
    if (fd < 0) {
      throw failure("open", path, RUNTIME.getLastError());
    }
    return fd;
  }

  /** Writes {@code length} bytes of {@code bytes}, all of them; {@code path} names the file in messages. */
  static void write(int fd, byte[] bytes, int length, Path path) throws IOException {
    byte[] rest = bytes;
    long left = length;
    while (left > 0) {
      long n = LIBC.write(fd, rest, left);
      if (n < 0) {
        throw failure("write", path, RUNTIME.getLastError());
      }
      left -= n;
      if (left > 0) { // a short write, rare for regular files: go on with what is left
        rest = Arrays.copyOfRange(rest, (int) n, (int) (n + left));
      }
    }
  }

  static void close(int fd, Path path) throws IOException {
    check(LIBC.close(fd), "close", path);
  }

  /** Creates a directory with permission bits {@code mode}, less the umask. */
  static void mkdir(Path path, int mode) throws IOException {
    check(LIBC.mkdir(path.toString(), mode & 07777), "mkdir", path);
  }

  static void fchown(int fd, int uid, int gid, Path path) throws IOException {
    check(LIBC.fchown(fd, uid, gid), "fchown", path);
  }

  /** Sets all twelve permission bits of an open file. */
  static void fchmod(int fd, int mode, Path path) throws IOException {
    check(LIBC.fchmod(fd, mode & 07777), "fchmod", path);
  }

  static void setTimes(int fd, FileTime accessed, FileTime modified, Path path) throws IOException {
    check(LIBC.futimens(fd, timespecs(accessed, modified)), "futimens", path);
  }

  /**
   * Sets an xattr of an open file.
   *
   * @return false when the file system or our privileges do not allow this attribute (EPERM, ENOTSUP)
   */
  static boolean setXattr(int fd, String name, byte[] value, Path path) throws IOException {
    return xattrSet(LIBC.fsetxattr(fd, name, value, value.length, 0), "fsetxattr(" + name + ")", path);
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
    check(LIBC.utimensat(AT_FDCWD, path.toString(), timespecs(accessed, modified), AT_SYMLINK_NOFOLLOW), "utimensat",
        path);
  }

  private static long[] timespecs(FileTime accessed, FileTime modified) {
    Instant a = accessed.toInstant();
    Instant m = modified.toInstant();
    return new long[] {a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano()};
  }

  /**
   * Sets an xattr on the path itself.
   *
   * @return false when the file system or our privileges do not allow this attribute (EPERM, ENOTSUP)
   */
  static boolean setXattr(Path path, String name, byte[] value) throws IOException {
    return xattrSet(LIBC.lsetxattr(path.toString(), name, value, value.length, 0), "lsetxattr(" + name + ")", path);
  }

  private static boolean xattrSet(int result, String call, Path path) throws IOException {
    if (result == 0) {
      return true;
    }
    int errno = RUNTIME.getLastError();
    if (errno == EPERM || errno == EOPNOTSUPP) {
      return false;
    }
    throw failure(call, path, errno);
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
