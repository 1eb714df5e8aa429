package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resolves Docker-style user strings against an image's /etc/passwd and /etc/group, read from its layers. */
final class ImageUsers {
  /** Who the container's process runs as. */
  record Identity(int uid, int gid, List<Integer> groups, String home) {
    Identity {
      groups = List.copyOf(groups);
    }
  }

  private record PasswdEntry(String name, int uid, int gid, String home) {}

  private record GroupEntry(String name, int gid, List<String> members) {}

  private final List<PasswdEntry> passwd;
  private final List<GroupEntry> groups;

  private ImageUsers(List<PasswdEntry> passwd, List<GroupEntry> groups) {
    this.passwd = passwd;
    this.groups = groups;
  }

  /** Reads the files from the unpacked layers, {@code layersTopFirst}; an image without them has no names. */
  static ImageUsers read(List<Path> layersTopFirst) throws IOException {
    List<PasswdEntry> passwd = new ArrayList<>();
    for (String[] f : fields(find(layersTopFirst, "etc/passwd"), 7)) {
      Optional<Integer> uid = number(f[2]);
      Optional<Integer> gid = number(f[3]);
      if (uid.isPresent() && gid.isPresent()) {
        passwd.add(new PasswdEntry(f[0], uid.get(), gid.get(), f[5]));
      }
    }
    List<GroupEntry> groups = new ArrayList<>();
    for (String[] f : fields(find(layersTopFirst, "etc/group"), 4)) {
      Optional<Integer> gid = number(f[2]);
      if (gid.isPresent()) {
        groups.add(new GroupEntry(f[0], gid.get(), f[3].isEmpty() ? List.of() : List.of(f[3].split(","))));
      }
    }
    return new ImageUsers(passwd, groups);
  }

  /** The file as the stacked layers show it: the topmost copy, unless a whiteout (a device node) hides it. */
  private static Optional<Path> find(List<Path> layersTopFirst, String relative) {
    for (Path layer : layersTopFirst) {
      Path p = layer.resolve(relative);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(p);
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static List<String[]> fields(Optional<Path> file, int count) throws IOException {
    List<String[]> rows = new ArrayList<>();
    if (file.isEmpty()) {
      return rows;
    }
    for (String line : new String(Files.readAllBytes(file.get()), StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split(":", -1);
      if (!line.startsWith("#") && f.length >= count) {
        rows.add(f);
      }
    }
    return rows;
  }

  private static Optional<Integer> number(String s) {
    return s.matches("\\d{1,10}") && Long.parseLong(s) <= Integer.MAX_VALUE
        ? Optional.of(Integer.parseInt(s)) : Optional.empty();
  }

  /**
   * Resolves {@code user} ({@code ""} for root, {@code name}, {@code uid}, {@code name:group}, {@code uid:gid}) as
   * Docker does: a numeric uid need not exist; a name must.
   *
   * @param image names the image in error messages
   */
  Identity resolve(String user, String image) throws ContainerException {
    String userPart = user.isEmpty() ? "0" : user.split(":", 2)[0];
    Optional<String> groupPart = user.contains(":") ? Optional.of(user.split(":", 2)[1]) : Optional.empty();
    Optional<Integer> numericUid = number(userPart);
    Optional<PasswdEntry> entry = passwd.stream()
        .filter(p -> numericUid.map(uid -> p.uid() == uid).orElse(p.name().equals(userPart)))
        .findFirst();
    if (entry.isEmpty() && numericUid.isEmpty()) {
      throw new ContainerException("User '" + userPart + "' is not in /etc/passwd of " + image + "; use a numeric"
          + " uid (e.g. 1000 or 1000:1000) or a user the image defines.");
    }
    int uid = numericUid.orElseGet(() -> entry.get().uid());
    int gid = entry.map(PasswdEntry::gid).orElse(0);
    if (groupPart.isPresent()) {
      String g = groupPart.get();
      Optional<Integer> numericGid = number(g);
      gid = numericGid.isPresent() ? numericGid.get() : groups.stream().filter(e -> e.name().equals(g))
          .map(GroupEntry::gid).findFirst().orElseThrow(() -> new ContainerException("Group '" + g
              + "' is not in /etc/group of " + image + "; use a numeric gid or a group the image defines."));
    }
    List<Integer> supplementary = new ArrayList<>();
    if (groupPart.isEmpty()) {
      supplementary.add(gid);
    }
    entry.ifPresent(e -> groups.stream()
        .filter(g -> g.members().contains(e.name()) && !supplementary.contains(g.gid()))
        .forEach(g -> supplementary.add(g.gid())));
    String home = entry.map(PasswdEntry::home).filter(h -> !h.isEmpty()).orElse("/");
    return new Identity(uid, gid, supplementary, home);
  }
}
