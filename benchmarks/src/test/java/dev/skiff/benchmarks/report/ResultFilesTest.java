package dev.skiff.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {
  @Test
  void writesCsvAndMarkdownNamedByBenchmarkAndDate(@TempDir Path dir) throws Exception {
    List<Path> files = ResultFiles.write(dir.resolve("results"), "pull", LocalDate.of(2025, 3, 7), "a,b\r\n", "# x\n");
    assertThat(files).containsExactly(dir.resolve("results/pull-2025-03-07.csv"),
        dir.resolve("results/pull-2025-03-07.md"));
    assertThat(Files.readString(files.get(0))).isEqualTo("a,b\r\n");
    assertThat(Files.readString(files.get(1))).isEqualTo("# x\n");
  }
}
