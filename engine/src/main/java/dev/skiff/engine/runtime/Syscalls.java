package dev.skiff.engine.runtime;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The few calls the runtime makes itself; the launcher does the rest. */
final class Syscalls {
  static final int MNT_DETACH = 2;

  /** Public only because jnr-ffi implements it from another class loader; unreachable outside this package. */
  public interface LibC {
    int memfd_create(String name, int flags);

    @ssize_t
    long write(int fd, @In byte[] data, @size_t long size);

    int umount2(String target, int flags);

    int kill(int pid, int signal);

    String strerror(int errno);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

  private Syscalls() {}

  /**
   * An anonymous in-memory file holding {@code content}, for exec where every directory is mounted noexec.
   *
   * @return its descriptor in this JVM, which keeps it open
   */
  static int memfd(String name, byte[] content) {
    int fd = LIBC.memfd_create(name, 0);
    if (fd < 0) {
      throw new IllegalStateException("memfd_create failed: " + lastError());
    }
    for (int off = 0; off < content.length; ) {
      byte[] rest = off == 0 ? content : java.util.Arrays.copyOfRange(content, off, content.length);
      long n = LIBC.write(fd, rest, rest.length);
      if (n <= 0) {
        throw new IllegalStateException("write to memfd failed: " + lastError());
      }
      off += (int) n;
    }
    return fd;
  }

  /** Sends {@code signal} to the process {@code pid}; returns null, or why the kernel refused. */
  static String kill(long pid, int signal) {
    return LIBC.kill((int) pid, signal) == 0 ? null : lastError();
  }

  /** Detaches the mount at {@code target}; returns false with the reason when the kernel refuses. */
  static String detachMount(String target) {
    return LIBC.umount2(target, MNT_DETACH) == 0 ? null : lastError();
  }

  private static String lastError() {
    int errno = RUNTIME.getLastError();
    return LIBC.strerror(errno) + " (errno " + errno + ")";
  }
}
