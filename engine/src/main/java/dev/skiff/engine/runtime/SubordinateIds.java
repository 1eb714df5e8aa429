package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A user's ranges in {@code /etc/subuid} or {@code /etc/subgid} ({@code NAME_OR_ID:START:COUNT} lines). */
final class SubordinateIds {
  /** {@code count} ids from {@code start} on. */
  record Range(long start, long count) {}

  private SubordinateIds() {}

  /** The ranges of the user called {@code name} or numbered {@code id}, in file order; none if the file is missing. */
  static List<Range> read(Path file, String name, long id) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Range> ranges = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split(":");
      if (f.length == 3 && (f[0].equals(name) || f[0].equals(Long.toString(id)))
          && f[1].matches("\\d{1,10}") && f[2].matches("\\d{1,10}") && Long.parseLong(f[2]) > 0) {
        ranges.add(new Range(Long.parseLong(f[1]), Long.parseLong(f[2])));
      }
    }
    return ranges;
  }
}
