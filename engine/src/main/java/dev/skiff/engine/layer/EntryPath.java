package dev.skiff.engine.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns tar entry names (and hardlink targets) into paths relative to the layer root.
 *
 * <p>Every name is taken relative to the root, as Docker and GNU tar do: leading {@code /} and {@code ./} are
 * dropped, so {@code /etc/passwd}, {@code ./etc/passwd} and {@code etc/passwd} all mean the same file. Empty and
 * {@code .} segments are dropped and {@code ..} is resolved lexically; a {@code ..} that would climb above the
 * root is refused. Symlinks along the way are the business of {@link RealDirectories}.
 */
final class EntryPath {
  private EntryPath() {}

  /**
   * The normalised form of {@code name}: segments joined by single slashes, no leading or trailing slash, {@code ""}
   * for the root itself.
   *
   * @throws UnsafeEntryException if {@code ..} climbs out of the root
   */
  static String normalize(String name) throws UnsafeEntryException {
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    if (isNormal(trimmed)) {
      return trimmed;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : trimmed.split("/")) {
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          throw new UnsafeEntryException("climbs out of the layer root with '..'");
        }
        segments.remove(segments.size() - 1);
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    return String.join("/", segments);
  }

  /** The part before the last slash, {@code ""} for a top-level name. */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The part after the last slash. */
  static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code path} and everything below it. */
  static boolean isWithin(String candidate, String path) {
    return path.isEmpty()
        || candidate.equals(path)
        || (candidate.startsWith(path) && candidate.charAt(path.length()) == '/');
  }

  /** How many segments the path has: 0 for the root, 1 for its children. */
  static int depth(String path) {
    if (path.isEmpty()) {
      return 0;
    }
    int depth = 1;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }

  // True when no segment is empty, "." or "..": the common case, which needs no copying.
  private static boolean isNormal(String name) {
    int start = 0;
    for (int i = 0; i <= name.length(); i++) {
      if (i == name.length() || name.charAt(i) == '/') {
        int length = i - start;
        if (length == 0 || (name.charAt(start) == '.' && (length == 1 || (length == 2 && name.charAt(start + 1) == '.')))) {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }
}
