package dev.skiff.engine.fs;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.types.u_int64_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a directory whose subdirectories are unrelated trees ({@code chattr +T}, FS_TOPDIR_FL), so that ext2/3/4
 * spread those trees over the disk's block groups instead of packing each next to its parent.
 *
 * <p>Why it matters for unpacking: without the mark every new layer lands in the block group of the one deleted
 * last, and ext4 without a journal passes over every inode freed in the last minute one by one before it picks a
 * free one, for each file it creates (a Debian base layer then took about three times as long).
 */
public final class TopDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(TopDirectory.class);
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 02000000;
  // _IOR('f', 1, long) and _IOW('f', 2, long) on 64-bit Linux; the kernel reads and writes an int.
  private static final long FS_IOC_GETFLAGS = 0x80086601L;
  private static final long FS_IOC_SETFLAGS = 0x40086602L;
  private static final int FS_TOPDIR_FL = 0x00020000;

  /** Public only because jnr-ffi implements it from another class loader; unreachable outside this class. */
  public interface LibC {
    int open(String path, int flags);

    /** Copies {@code flags} in and out, as FS_IOC_GETFLAGS and FS_IOC_SETFLAGS need. */
    int ioctl(int fd, @u_int64_t long request, int[] flags);

    int close(int fd);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

  private TopDirectory() {}

  /**
   * Marks {@code dir} if its file system knows the flag and it is not marked yet. Only a hint: a file system without
   * it, or a failure, leaves the directory as it is.
   *
   * @return whether {@code dir} is marked now
   */
  public static boolean mark(Path dir) {
    int fd = LIBC.open(dir.toString(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      LOG.debug("Cannot open {} to mark it a top directory", dir);
      return false;
    }
    try {
      int[] flags = new int[1];
      if (LIBC.ioctl(fd, FS_IOC_GETFLAGS, flags) != 0) {
        return false; // not ext2/3/4 or a file system with these flags
      }
      if ((flags[0] & FS_TOPDIR_FL) != 0) {
        return true;
      }
      flags[0] |= FS_TOPDIR_FL;
      boolean marked = LIBC.ioctl(fd, FS_IOC_SETFLAGS, flags) == 0;
      if (!marked) {
        LOG.debug("Cannot mark {} a top directory (chattr +T)", dir);
      }
      return marked;
    } finally {
      LIBC.close(fd);
    }
  }
}
