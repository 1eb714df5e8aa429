package dev.skiff.engine.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this process's cgroups are: per controller, the v1 hierarchy that holds it, else the v2 unified hierarchy.
 * Covers v1, v2 and hybrid hosts (v2 mounted too, the controllers on v1), and cgroup namespaces (a mount's root).
 */
final class CgroupLayout {
  private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

  /** A hierarchy's mount point, and this process's cgroup directory in it. */
  record Hierarchy(boolean v2, Path mountPoint, Path own) {}

  private final Map<Controller, Hierarchy> v1;
  private final Optional<Hierarchy> unified;

  private CgroupLayout(Map<Controller, Hierarchy> v1, Optional<Hierarchy> unified) {
    this.v1 = v1;
    this.unified = unified;
  }

  /** This process's layout. */
  static CgroupLayout current() throws IOException {
    return parse(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8),
        Files.readString(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8));
  }

  /** The layout that {@code mountinfo} and {@code procSelfCgroup} (the files of /proc/self) describe. */
  static CgroupLayout parse(String mountinfo, String procSelfCgroup) {
    Map<String, String> v1Paths = new java.util.HashMap<>(); // controller -> this process's cgroup
    String v2Path = null;
    for (String line : procSelfCgroup.split("\n")) {
      String[] f = line.split(":", 3); // "ID:CONTROLLERS:PATH"; v2 is "0::PATH"
      if (f.length != 3) {
        continue;
      }
      if (f[0].equals("0") && f[1].isEmpty()) {
        v2Path = f[2];
      } else {
        for (String controller : f[1].split(",")) {
          v1Paths.put(controller, f[2]);
        }
      }
    }
    Map<Controller, Hierarchy> v1 = new EnumMap<>(Controller.class);
    Optional<Hierarchy> unified = Optional.empty();
    for (String line : mountinfo.split("\n")) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] mount = line.substring(0, dash).split(" ");
      String[] fs = line.substring(dash + 3).split(" ");
      if (mount.length < 5 || fs.length < 3) {
        continue;
      }
      String root = unescape(mount[3]);
      Path mountPoint = Path.of(unescape(mount[4]));
      if (fs[0].equals("cgroup2") && unified.isEmpty() && v2Path != null) {
        unified = own(root, v2Path).map(rel -> new Hierarchy(true, mountPoint, mountPoint.resolve(rel)));
      } else if (fs[0].equals("cgroup")) {
        for (String option : fs[2].split(",")) {
          for (Controller c : Controller.values()) {
            if (option.equals(c.kernelName) && !v1.containsKey(c) && v1Paths.containsKey(c.kernelName)) {
              own(root, v1Paths.get(c.kernelName))
                  .ifPresent(rel -> v1.put(c, new Hierarchy(false, mountPoint, mountPoint.resolve(rel))));
            }
          }
        }
      }
    }
    return new CgroupLayout(v1, unified);
  }

  /** The cgroup {@code path} relative to a mount of {@code root}; empty when that mount does not show it. */
  private static Optional<String> own(String root, String path) {
    String prefix = root.endsWith("/") ? root : root + "/";
    if (path.equals(root)) {
      return Optional.of("");
    }
    return path.startsWith(prefix) ? Optional.of(path.substring(prefix.length())) : Optional.empty();
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes. */
  private static String unescape(String field) {
    Matcher m = OCTAL_ESCAPE.matcher(field);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
    }
    return m.appendTail(sb).toString();
  }

  /** Where {@code controller} is: its v1 hierarchy, else the unified one (whose cgroup.controllers may lack it). */
  Optional<Hierarchy> hierarchy(Controller controller) {
    return v1.containsKey(controller) ? Optional.of(v1.get(controller)) : unified;
  }
}
