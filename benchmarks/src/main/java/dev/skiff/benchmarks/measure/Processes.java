package dev.skiff.benchmarks.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A snapshot of the processes in {@code /proc}: who is whose parent, their names and resident memory, for memory
 * figures that add up a process tree.
 */
public final class Processes {
  /**
   * One process: its parent, its name ({@code comm}), its resident set size (0 for kernel threads) and its command
   * line with spaces between the arguments.
   */
  public record Entry(long pid, long parent, String name, long rssBytes, String commandLine) {}

  private final Map<Long, Entry> byPid;

  private Processes(Map<Long, Entry> byPid) {
    this.byPid = byPid;
  }

  /** Reads every process under {@code proc} (normally {@code /proc}); ones that exit meanwhile are skipped. */
  public static Processes read(Path proc) throws IOException {
    Map<Long, Entry> entries = new HashMap<>();
    try (Stream<Path> dirs = Files.list(proc)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        String name = dir.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)) {
          readEntry(dir, Long.parseLong(name)).ifPresent(e -> entries.put(e.pid(), e));
        }
      }
    }
    return new Processes(entries);
  }

  /** This machine's processes now. */
  public static Processes now() {
    try {
      return read(Path.of("/proc"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list /proc: " + e.getMessage(), e);
    }
  }

  public Optional<Entry> get(long pid) {
    return Optional.ofNullable(byPid.get(pid));
  }

  /** Every process whose command line contains {@code text}, e.g. a daemon's data directory. */
  public List<Entry> withCommandLineContaining(String text) {
    return byPid.values().stream().filter(e -> e.commandLine().contains(text)).toList();
  }

  /**
   * {@code pid} and all its descendants, except the subtrees rooted at {@code excluded} (e.g. the containers'
   * own processes, which both sides run alike).
   */
  public List<Entry> tree(long pid, Set<Long> excluded) {
    Map<Long, List<Entry>> children = new HashMap<>();
    byPid.values().forEach(e -> children.computeIfAbsent(e.parent(), p -> new ArrayList<>()).add(e));
    List<Entry> out = new ArrayList<>();
    List<Long> todo = new ArrayList<>(List.of(pid));
    while (!todo.isEmpty()) {
      long next = todo.remove(todo.size() - 1);
      Entry e = byPid.get(next);
      if (e == null || excluded.contains(next)) {
        continue;
      }
      out.add(e);
      children.getOrDefault(next, List.of()).forEach(c -> todo.add(c.pid()));
    }
    return out;
  }

  /** The summed resident set size of {@code entries}. */
  public static long rss(List<Entry> entries) {
    return entries.stream().mapToLong(Entry::rssBytes).sum();
  }

  private static Optional<Entry> readEntry(Path dir, long pid) throws IOException {
    String status;
    String commandLine;
    try {
      status = Files.readString(dir.resolve("status"));
      // Arguments are bytes, not necessarily UTF-8.
      commandLine = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.ISO_8859_1)
          .replace('\0', ' ').strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();  // exited while we looked
    } catch (IOException e) {
      if (!Files.exists(dir)) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(parseStatus(pid, status, commandLine));
  }

  /** The fields of {@code /proc/PID/status} this class needs: Name, PPid and VmRSS (absent for kernel threads). */
  static Entry parseStatus(long pid, String status, String commandLine) {
    String name = "";
    long parent = 0;
    long rss = 0;
    for (String line : status.lines().toList()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      switch (key) {
        case "Name" -> name = value;
        case "PPid" -> parent = Long.parseLong(value);
        case "VmRSS" -> rss = kibibytes(value).orElse(0) * 1024;
        default -> { }
      }
    }
    return new Entry(pid, parent, name, rss, commandLine);
  }

  private static OptionalLong kibibytes(String value) {
    String digits = value.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(digits));
  }
}
