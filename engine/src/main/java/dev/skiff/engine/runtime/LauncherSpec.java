package dev.skiff.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The container spec in the launcher's encoding: NUL-terminated {@code key=value} entries (see
 * {@code src/main/native/spec.c}), framed as {@code LENGTH\n} and the bytes.
 */
final class LauncherSpec {
  private final ByteArrayOutputStream entries = new ByteArrayOutputStream();

  LauncherSpec put(String key, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("The " + key + " value contains a NUL character, which Linux cannot pass: "
          + value.replace('\0', '?'));
    }
    entries.writeBytes((key + "=" + value).getBytes(StandardCharsets.UTF_8));
    entries.write(0);
    return this;
  }

  LauncherSpec putAll(String key, List<String> values) {
    values.forEach(v -> put(key, v));
    return this;
  }

  /** The process to run: its command line, environment, working directory and identity. */
  LauncherSpec process(List<String> argv, List<String> env, String cwd, ImageUsers.Identity identity) {
    putAll("arg", argv);
    putAll("env", env);
    put("cwd", cwd);
    put("uid", Integer.toString(identity.uid()));
    put("gid", Integer.toString(identity.gid()));
    return putAll("group", identity.groups().stream().map(String::valueOf).toList());
  }

  /** An overlay root: {@code lowerTopFirst}, upper and work are given relative to {@code base}. */
  LauncherSpec overlay(Path base, List<Path> lowerTopFirst, Path upper, Path work) {
    readOnlyOverlay(base, lowerTopFirst);
    put("overlay.upper", base.relativize(upper).toString());
    return put("overlay.work", base.relativize(work).toString());
  }

  /** A read-only overlay root of {@code lowerTopFirst} alone, given relative to {@code base}. */
  LauncherSpec readOnlyOverlay(Path base, List<Path> lowerTopFirst) {
    put("overlay.base", base.toString());
    lowerTopFirst.forEach(l -> put("overlay.lower", base.relativize(l).toString()));
    return this;
  }

  LauncherSpec bind(Path source, String target, boolean readOnly) {
    put("mount", "bind");
    put("mount.source", source.toString());
    put("mount.target", target);
    return put("mount.readonly", readOnly ? "1" : "0");
  }

  LauncherSpec tmpfs(String target, String options, boolean readOnly) {
    put("mount", "tmpfs");
    put("mount.target", target);
    if (!options.isEmpty()) {
      put("mount.data", options);
    }
    return put("mount.readonly", readOnly ? "1" : "0");
  }

  /** A pseudo-terminal for the process, of {@code size} (else the launcher's terminal's, else 24x80). */
  LauncherSpec tty(Optional<TtySize> size) {
    put("tty", "1");
    size.ifPresent(s -> put("tty.rows", Integer.toString(s.rows())).put("tty.cols", Integer.toString(s.cols())));
    return this;
  }

  byte[] frame() {
    byte[] body = entries.toByteArray();
    byte[] header = (body.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] framed = new byte[header.length + body.length];
    System.arraycopy(header, 0, framed, 0, header.length);
    System.arraycopy(body, 0, framed, header.length, body.length);
    return framed;
  }
}
