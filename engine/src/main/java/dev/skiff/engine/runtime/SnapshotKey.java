package dev.skiff.engine.runtime;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.hash.DigestingInputStream;
import dev.skiff.engine.hash.Sha256;
import dev.skiff.engine.store.ImageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What determines the files a container of a spec initialises, hashed into its snapshot's key: the image's manifest,
 * entrypoint, command, environment, user, working directory, hostname, the files copied in (paths, modes, owners,
 * contents; not times) and whether it runs rootless (whiteouts are marked differently). Name, ports, networks, labels
 * and limits do not change the files and do not count.
 *
 * @param hex the key, 64 hex digits
 * @param inputs a readable summary of the inputs; variables by name only, as their values may be passwords
 */
record SnapshotKey(String hex, Map<String, String> inputs) {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /**
   * The key of {@code spec}'s snapshot on {@code image}.
   *
   * @throws ContainerException when the spec has a mount, whose files a snapshot cannot hold
   */
  static SnapshotKey of(ContainerSpec spec, ImageRecord image, boolean rootless) throws IOException {
    if (!spec.mounts().isEmpty()) {
      ContainerSpec.Mount m = spec.mounts().get(0);
      throw new ContainerException("A container of " + spec.image() + " cannot start from a snapshot with a "
          + m.type().name().toLowerCase() + " mount at " + m.target() + ": " + (m.type() == ContainerSpec.Mount.Type.BIND
              ? "the mount's data lives outside the container (" + m.source().orElseThrow() + "), so a snapshot"
                  + " could not hold its initialised state"
              : "its files vanish when the container stops, so a snapshot would miss them")
          + ". Drop snapshot(true) or the mount.");
    }
    MessageDigest sha = Sha256.newDigest();
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("image", spec.image());
    add(sha, "manifest", image.manifestDigest().toString(), inputs);
    add(sha, "entrypoint", spec.entrypoint().map(List::toString), inputs);
    add(sha, "command", spec.command().map(List::toString), inputs);
    List<String> env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    field(sha, "env", env.toString());
    inputs.put("env", String.join(" ", spec.env().keySet()));
    add(sha, "user", spec.user(), inputs);
    add(sha, "workingDir", spec.workingDir(), inputs);
    add(sha, "hostname", spec.hostname(), inputs);
    List<String> copied = new ArrayList<>();
    for (ContainerCopy.Source source : spec.copies()) {
      if (source instanceof ContainerCopy.Content c) {
        field(sha, "copy", c.containerPath() + " " + Integer.toOctalString(c.mode()) + " "
            + Digest.sha256Of(c.bytes()));
      } else {
        hostFiles(sha, (ContainerCopy.HostFiles) source);
      }
      copied.add(source.containerPath());
    }
    if (!copied.isEmpty()) {
      inputs.put("copies", String.join(" ", copied));
    }
    add(sha, "rootless", Boolean.toString(rootless), inputs);
    return new SnapshotKey(Digest.sha256(sha.digest()).hex(), inputs);
  }

  private static void add(MessageDigest sha, String name, Optional<String> value, Map<String, String> inputs) {
    field(sha, name, value.orElse("\0unset"));
    value.ifPresent(v -> inputs.put(name, v));
  }

  private static void add(MessageDigest sha, String name, String value, Map<String, String> inputs) {
    add(sha, name, Optional.of(value), inputs);
  }

  /** Length-prefixed, so that no two different inputs hash alike. */
  private static void field(MessageDigest sha, String name, String value) {
    for (String part : new String[] {name, value}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
      sha.update(bytes);
    }
  }

  private static void hostFiles(MessageDigest sha, ContainerCopy.HostFiles source) throws IOException {
    try (Stream<Path> walk = Files.walk(source.path())) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", NOFOLLOW);
        String where = source.containerPath() + "/" + source.path().relativize(p);
        field(sha, "copy", where + " " + Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid") + ":"
            + a.get("gid"));
        if (Files.isSymbolicLink(p)) {
          field(sha, "link", Files.readSymbolicLink(p).toString());
        } else if (Files.isRegularFile(p, NOFOLLOW)) {
          try (DigestingInputStream in = new DigestingInputStream(Files.newInputStream(p))) {
            in.drain();
            field(sha, "content", in.digest().toString());
          }
        }
      }
    }
  }
}
