package dev.skiff.benchmarks.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes over a made-up /proc: a JVM with two launchers, each with a container process below it. */
class ProcessesTest {
  @TempDir
  Path proc;

  private void process(long pid, long parent, String name, long rssKib, String... args) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("status"), "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nPPid:\t"
        + parent + "\n" + (rssKib > 0 ? "VmRSS:\t    " + rssKib + " kB\n" : "") + "Threads:\t1\n");
    Files.writeString(dir.resolve("cmdline"), String.join("\0", args) + "\0");
  }

  @Test
  void treeAddsDescendantsAndLeavesOutExcludedSubtrees() throws Exception {
    process(100, 1, "java", 50_000, "java", "-cp", "x.jar");
    process(101, 100, "skiff-launcher", 100, "skiff-launcher", "/s/1");
    process(102, 100, "skiff-launcher", 120, "skiff-launcher", "/s/2");
    process(201, 101, "sleep", 300, "sleep", "600");
    process(202, 102, "sleep", 300, "sleep", "600");
    process(203, 202, "sh", 400, "sh");
    process(300, 1, "dockerd", 80_000, "dockerd", "--data-root", "/var/cache/skiff-bench/docker/data");
    Files.createDirectories(proc.resolve("self"));  // not a pid: ignored

    Processes p = Processes.read(proc);
    assertThat(p.tree(100, Set.of(201L, 202L))).extracting(Processes.Entry::pid)
        .containsExactlyInAnyOrder(100L, 101L, 102L);
    assertThat(Processes.rss(p.tree(101, Set.of(201L)))).isEqualTo(100 * 1024);
    assertThat(Processes.rss(p.tree(100, Set.of()))).isEqualTo((50_000 + 100 + 120 + 300 + 300 + 400) * 1024L);
    assertThat(p.withCommandLineContaining("/var/cache/skiff-bench/docker")).extracting(Processes.Entry::name)
        .containsExactly("dockerd");
  }

  @Test
  void aKernelThreadHasNoResidentSet() throws Exception {
    process(2, 0, "kthreadd", 0);
    assertThat(Processes.read(proc).get(2).orElseThrow().rssBytes()).isZero();
  }
}
