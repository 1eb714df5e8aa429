package dev.skiff.engine.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A container's /etc/hosts, whose lines for each network carry that network's tag. The file is bind-mounted into the
 * container, so it is rewritten in place (a rename would leave the container reading the old inode).
 */
final class HostsFile {
  private HostsFile() {}

  /**
   * Replaces the lines tagged {@code tag} in {@code file} by {@code lines}.
   *
   * @return false when the file is gone (its container was removed)
   */
  static synchronized boolean replaceSection(Path file, String tag, List<String> lines) throws IOException {
    // synchronized: a JVM may hold one file lock per file; the file lock orders the JVMs (skiff CLI calls)
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      ByteBuffer old = ByteBuffer.allocate((int) channel.size());
      while (old.hasRemaining() && channel.read(old, old.position()) > 0) {
        // read it all
      }
      String suffix = "\t# " + tag;
      StringBuilder next = new StringBuilder();
      for (String line : new String(old.array(), 0, old.position(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty() && !line.endsWith(suffix)) {
          next.append(line).append('\n');
        }
      }
      lines.forEach(l -> next.append(l).append('\n'));
      ByteBuffer bytes = ByteBuffer.wrap(next.toString().getBytes(StandardCharsets.UTF_8));
      int length = bytes.remaining();
      while (bytes.hasRemaining()) {
        channel.write(bytes, bytes.position());
      }
      channel.truncate(length);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
