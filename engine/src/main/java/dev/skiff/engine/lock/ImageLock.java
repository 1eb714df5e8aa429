package dev.skiff.engine.lock;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.ImageReference;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Pins image tags to the digests in a {@link LockFile}: a tag's first use records the digest it names, later uses get
 * that digest even if the tag has moved since (which {@link Pin#status()} reports), and only an update replaces it.
 */
public final class ImageLock {
  /** Says which digest a tag names now (the registry's answer, typically). */
  @FunctionalInterface
  public interface DigestSource {
    Digest digestOf(ImageReference tag) throws IOException;
  }

  /** What {@link #pin} did. */
  public enum Status {
    /** The reference names a digest itself; the lock file is not involved. */
    PINNED_BY_REFERENCE,
    /** First use of the tag: its current digest was recorded. */
    RECORDED,
    /** The recorded digest is still what the tag names. */
    LOCKED,
    /** The tag names another digest now; the recorded one is used. */
    MOVED,
    /** Whether the tag moved could not be checked (registry unreachable); the recorded digest is used. */
    UNCHECKED,
    /** Asked to update: the tag's current digest replaced the recorded one. */
    UPDATED
  }

  /**
   * The outcome for one tag.
   *
   * @param reference the reference as asked for
   * @param digest the digest to pull
   * @param current the digest the tag names now when that differs from the recorded one (MOVED, UPDATED)
   */
  public record Pin(ImageReference reference, Digest digest, Status status, Optional<Digest> current) {
    public Pin {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(current, "current");
    }

    /** The reference pinned to {@link #digest()}, tag kept for display: what to pull. */
    public ImageReference pinned() {
      return reference.withDigest(digest);
    }
  }

  private final LockFile file;
  private final DigestSource source;
  private final boolean update;

  /**
   * @param source what a tag names now
   * @param update whether to replace recorded digests with what tags name now
   */
  public ImageLock(LockFile file, DigestSource source, boolean update) {
    this.file = Objects.requireNonNull(file, "file");
    this.source = Objects.requireNonNull(source, "source");
    this.update = update;
  }

  public LockFile file() {
    return file;
  }

  /**
   * The digest to use for {@code reference}, recording it on the tag's first use.
   *
   * @throws IOException if the lock file cannot be read or written, or a tag used for the first time (or updated)
   *     cannot be resolved
   */
  public Pin pin(ImageReference reference) throws IOException {
    if (reference.digest().isPresent()) {
      return new Pin(reference, reference.digest().get(), Status.PINNED_BY_REFERENCE, Optional.empty());
    }
    String key = reference.toString();
    Optional<Digest> locked = file.digest(key);
    if (locked.isEmpty()) {
      Digest recorded = file.recordIfAbsent(key, source.digestOf(reference));
      return new Pin(reference, recorded, Status.RECORDED, Optional.empty());
    }
    if (update) {
      Digest current = source.digestOf(reference);
      if (current.equals(locked.get())) {
        return new Pin(reference, current, Status.LOCKED, Optional.empty());
      }
      file.record(key, current);
      return new Pin(reference, current, Status.UPDATED, Optional.of(current));
    }
    Digest current;
    try {
      current = source.digestOf(reference);
    } catch (IOException e) {
      return new Pin(reference, locked.get(), Status.UNCHECKED, Optional.empty());
    }
    return current.equals(locked.get())
        ? new Pin(reference, current, Status.LOCKED, Optional.empty())
        : new Pin(reference, locked.get(), Status.MOVED, Optional.of(current));
  }
}
