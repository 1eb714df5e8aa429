package dev.skiff.benchmarks;

import dev.skiff.benchmarks.measure.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A JVM whose memory the memory benchmark reads, started by it once per mode and round:
 * <ul>
 *   <li>{@code baseline}: loads nothing of Skiff, only this class and the JDK;</li>
 *   <li>{@code skiff STORE IMAGE N}: opens an engine on STORE and starts N containers running {@code sleep}.</li>
 * </ul>
 * Both then settle alike (a full GC, half a second) and print one line {@code jvm=BYTES helpers=BYTES}: this JVM's
 * resident set size, and that of its child processes (Skiff's per-container launchers) without the containers'
 * own processes. The skiff mode then removes its containers.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("baseline")) {
      report(Set.of());
    } else if (args.length == 4 && args[0].equals("skiff")) {
      SkiffProbe.run(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
    } else {
      System.err.println("usage: MemoryProbe baseline | skiff STORE IMAGE COUNT");
      System.exit(2);
    }
  }

  /** Settles, then prints this JVM's RSS and its descendants' without the subtrees of {@code containerPids}. */
  static void report(Set<Long> containerPids) throws InterruptedException {
    System.gc();
    Thread.sleep(500);
    long self = ProcessHandle.current().pid();
    Processes now = Processes.now();
    long jvm = now.get(self).orElseThrow().rssBytes();
    Set<Long> excluded = new HashSet<>(containerPids);
    excluded.add(self);
    List<Processes.Entry> helpers = new ArrayList<>();
    for (Processes.Entry child : now.tree(self, Set.of()).stream().filter(e -> e.parent() == self).toList()) {
      helpers.addAll(now.tree(child.pid(), excluded));
    }
    System.out.println("jvm=" + jvm + " helpers=" + Processes.rss(helpers) + " helper-count=" + helpers.size());
  }
}
