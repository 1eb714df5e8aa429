package dev.skiff.engine.lock;

import dev.skiff.engine.hash.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A lock file: the digest each image tag named when it was first used, so that every later run (another laptop, CI)
 * pulls exactly that content. One line per image, {@code reference digest}, sorted, so the file diffs well under
 * version control:
 *
 * <pre>
 * docker.io/library/redis:7.0 sha256:0f9c...
 * </pre>
 *
 * <p>Safe to use from many threads and processes at once: reads hold a shared and updates an exclusive lock on the
 * file, and an update re-reads the file under its lock, so concurrent first uses of different tags all land.
 */
public final class LockFile {
  /** Where tests keep it by default, relative to the project directory: committed next to the tests. */
  public static final String DEFAULT_LOCATION = "src/test/resources/skiff.lock";

  private static final String HEADER = """
      # Skiff image lock: the digest each image tag resolved to when first used. Commit this file: tests pull these
      # digests, so every run gets the same images. Update with -Dskiff.lock.update=true (or 'skiff lock --update').
      """;
  /** FileChannel locks belong to the JVM, so threads of one JVM exclude each other here first. */
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private final Path path;

  private LockFile(Path path) {
    this.path = path.toAbsolutePath().normalize();
  }

  /** The lock file at {@code path}; it need not exist yet. */
  public static LockFile at(Path path) {
    return new LockFile(path);
  }

  public Path path() {
    return path;
  }

  /** Every entry, sorted by reference; empty when the file does not exist. */
  public SortedMap<String, Digest> entries() throws IOException {
    synchronized (monitor()) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
          FileLock ignored = channel.lock(0, Long.MAX_VALUE, true)) {
        return Collections.unmodifiableSortedMap(parse(read(channel)));
      } catch (NoSuchFileException e) {
        return Collections.emptySortedMap();
      }
    }
  }

  /** The digest recorded for {@code reference} (canonical form, e.g. {@code docker.io/library/redis:7.0}). */
  public Optional<Digest> digest(String reference) throws IOException {
    return Optional.ofNullable(entries().get(reference));
  }

  /**
   * Records {@code digest} for {@code reference} unless the file has an entry for it already (another thread or
   * process got there first), and returns the entry the file now holds.
   */
  public Digest recordIfAbsent(String reference, Digest digest) throws IOException {
    return update(entries -> {
      entries.putIfAbsent(reference, digest);
      return entries;
    }).get(reference);
  }

  /** Records {@code digest} for {@code reference}, replacing any entry. */
  public void record(String reference, Digest digest) throws IOException {
    update(entries -> {
      entries.put(reference, digest);
      return entries;
    });
  }

  private SortedMap<String, Digest> update(UnaryOperator<SortedMap<String, Digest>> change) throws IOException {
    synchronized (monitor()) {
      Files.createDirectories(path.getParent());
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
        SortedMap<String, Digest> entries = change.apply(parse(read(channel)));
        StringBuilder text = new StringBuilder(HEADER);
        entries.forEach((reference, digest) -> text.append(reference).append(' ').append(digest).append('\n'));
        // Rewritten in place rather than renamed: the lock is on this inode, which other processes wait for.
        channel.truncate(0);
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes, channel.size());
        }
        channel.force(false);
        return entries;
      }
    }
  }

  private Object monitor() {
    return MONITORS.computeIfAbsent(path, p -> new Object());
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
      // read until full
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  private SortedMap<String, Digest> parse(String text) throws IOException {
    SortedMap<String, Digest> entries = new TreeMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      try {
        if (fields.length != 2) {
          throw new IllegalArgumentException("expected 'reference digest'");
        }
        entries.put(fields[0], Digest.parse(fields[1]));
      } catch (IllegalArgumentException e) {
        throw new IOException(path + " line " + (i + 1) + " is not 'reference sha256:digest' (" + e.getMessage()
            + "): '" + line + "'. Fix or delete the line; Skiff records the tag again on its next use.", e);
      }
    }
    return entries;
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
