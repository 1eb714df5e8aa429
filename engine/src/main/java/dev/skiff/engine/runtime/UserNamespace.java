package dev.skiff.engine.runtime;

import dev.skiff.engine.fs.ProcessIds;
import dev.skiff.engine.fs.TreeDeleter;
import dev.skiff.engine.fs.TreeRemover;
import dev.skiff.engine.layer.FileOwner;
import dev.skiff.engine.layer.OwnershipRestorer;
import dev.skiff.engine.layer.UnpackOptions;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a rootless engine's containers run: one user namespace for the whole engine, in which the user is root and
 * its subordinate ids (/etc/subuid, /etc/subgid) are the image's other users. A launcher holds it from the first use
 * until {@link #close()} (or the end of this JVM), and every other launcher joins it, so that every namespace of the
 * engine (containers', networks') belongs to it: containers on a network can be linked, and no start maps ids anew.
 *
 * <p>Files those ids own on the host (layers unpacked with their owners, what non-root container processes write)
 * can only be chowned and deleted from inside the namespace, so this also restores layer owners after an
 * unprivileged unpack and deletes store trees; once closed, such a task gets a user namespace of its own.
 */
public final class UserNamespace implements TreeRemover, OwnershipRestorer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UserNamespace.class);
  private static final List<Path> HELPER_DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/bin"),
      Path.of("/sbin"));

  private final UserNamespaceMap map;
  private final Path launcherDir;
  private final AtomicBoolean ownersWarned = new AtomicBoolean();
  private volatile LauncherBinary launcher;
  private HolderProcess holder; // guarded by this
  private LauncherBinary joining; // guarded by this: launcher with --userns while the holder runs
  private boolean closed; // guarded by this

  private UserNamespace(UserNamespaceMap map, Path launcherDir) {
    this.map = map;
    this.launcherDir = launcherDir;
  }

  /**
   * The user namespace for this process's user, or empty when it is root in the initial user namespace and needs
   * none. Warns when the user has no subordinate ids: then only container root exists.
   *
   * @param launcherDir where the launcher executable is extracted, {@code STORE/bin}
   */
  public static Optional<UserNamespace> forCurrentUser(Path launcherDir) throws IOException {
    if (UnpackOptions.forCurrentUser().privileged()) {
      return Optional.empty();
    }
    long uid = ProcessIds.effectiveUid();
    long gid = ProcessIds.effectiveGid();
    String name = System.getProperty("user.name");
    List<SubordinateIds.Range> subuids = SubordinateIds.read(Path.of("/etc/subuid"), name, uid);
    List<SubordinateIds.Range> subgids = SubordinateIds.read(Path.of("/etc/subgid"), name, uid);
    Optional<Path> newuidmap = helper("newuidmap");
    Optional<Path> newgidmap = helper("newgidmap");
    UserNamespaceMap map = UserNamespaceMap.of(uid, gid, subuids, subgids, newuidmap, newgidmap);
    if (map.singleId()) {
      String why = subuids.isEmpty() || subgids.isEmpty()
          ? "user " + name + " has no subordinate ids in /etc/subuid and /etc/subgid (add them: 'sudo usermod"
              + " --add-subuids 100000-165535 --add-subgids 100000-165535 " + name + "')"
          : "newuidmap/newgidmap are not installed (Debian/Ubuntu package uidmap)";
      LOG.warn("Rootless containers get a user namespace that maps only root (you, uid {}): {}. Images whose files or"
          + " processes belong to other users will not work.", uid, why);
    }
    return Optional.of(new UserNamespace(map, launcherDir));
  }

  private static Optional<Path> helper(String name) {
    return HELPER_DIRS.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
  }

  UserNamespaceMap map() {
    return map;
  }

  /**
   * The launcher that joins the engine's user namespace, starting its holder on first use; once closed, the plain
   * launcher, which gives a file task a user namespace of its own and refuses containers.
   */
  synchronized LauncherBinary launcher() throws IOException {
    if (closed) {
      return plainLauncher();
    }
    if (holder == null || !holder.process().isAlive()) {
      if (holder != null) {
        LOG.warn("The holder of this engine's user namespace (pid {}) died; starting another: containers and networks"
            + " made since live in the new one", holder.pid());
        holder.close();
      }
      holder = HolderProcess.start(plainLauncher(), launcherDir, "userns", List.of(),
          Optional.of(map.addTo(new LauncherSpec().put("task", "userns"))), "the engine's user namespace");
      Path ns = Path.of("/proc", Long.toString(holder.pid()), "ns", "user");
      String inode = Files.readSymbolicLink(ns).toString().replaceAll("\\D", ""); // "user:[4026532849]"
      joining = plainLauncher().withOption("--userns=" + holder.pid() + ":" + inode);
    }
    return joining;
  }

  /**
   * The launcher that joins no user namespace first: an exec joins its container's, which belongs to the user
   * namespace of the engine that started it, maybe another JVM's.
   */
  LauncherBinary plainLauncher() throws IOException {
    LauncherBinary l = launcher;
    if (l == null) {
      synchronized (this) {
        if (launcher == null) {
          launcher = LauncherBinary.extract(launcherDir);
        }
        l = launcher;
      }
    }
    return l;
  }

  /** Ends the holder: the namespace goes once no container or network of the engine is left in it. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (holder != null) {
      holder.close();
      holder = null;
      joining = null;
    }
  }

  /** Deletes {@code tree}: as the user where it can, the rest inside the user namespace. */
  @Override
  public void remove(Path tree) throws IOException {
    try {
      TreeDeleter.delete(tree);
      return;
    } catch (NoSuchFileException e) {
      return;
    } catch (FileSystemException e) {
      if (map.singleId()) {
        throw e; // every file the user namespace maps is the user's own
      }
      LOG.debug("Deleting {} inside the user namespace: {}", tree, e.toString());
    }
    LauncherTask.run(launcher(), map.addTo(new LauncherSpec().put("task", "remove").put("remove", tree.toString())),
        "removing " + tree);
  }

  /**
   * Chowns {@code owners} to the subordinate ids that stand for their users, inside the user namespace. Without
   * subordinate ids they stay the user's, that is container root's.
   */
  @Override
  public void restore(Path root, List<FileOwner> owners, String what) throws IOException {
    if (map.singleId()) {
      if (ownersWarned.compareAndSet(false, true)) {
        LOG.warn("{}: {} files belong to users other than root; without subordinate ids they will belong to root in"
            + " containers", what, owners.size());
      }
      return;
    }
    LauncherSpec spec = map.addTo(new LauncherSpec().put("task", "chown").put("chown.base", root.toString()));
    int skipped = 0;
    for (FileOwner o : owners) {
      if (map.mapsUid(o.uid()) && map.mapsGid(o.gid())) {
        spec.put("chown", o.uid() + ":" + o.gid() + ":" + Integer.toOctalString(o.mode()) + ":" + o.path());
      } else {
        skipped++;
      }
    }
    if (skipped > 0) {
      LOG.warn("{}: {} files belong to ids beyond the {} this user's namespace maps; they will belong to root in"
          + " containers. Grant more subordinate ids in /etc/subuid and /etc/subgid.", what, skipped, map.uidCount());
    }
    long start = System.nanoTime();
    LauncherTask.run(launcher(), spec, "restoring the owners of " + what);
    LOG.debug("Restored the owners of {} entries of {} in {} ms", owners.size() - skipped, what,
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Copies the user's own files; links those of its subordinate ids, inside the user namespace, since the user may
   * be unable to read them and a copy would be its own. Layers are never written to, so a link is as good as a copy.
   */
  @Override
  public void copy(Path source, Path target) throws IOException {
    if (map.singleId() || Files.getAttribute(source, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals((int) map.uids()
        .get(0).outside())) {
      OwnershipRestorer.super.copy(source, target);
      return;
    }
    LauncherTask.run(launcher(), map.addTo(new LauncherSpec().put("task", "link").put("link.source", source.toString())
        .put("link.target", target.toString())), "linking " + target + " to " + source);
  }
}
