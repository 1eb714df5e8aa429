package dev.skiff.benchmarks.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineDescriptionTest {
  @Test
  void readsMemTotalInKibibytes() {
    String meminfo = "MemTotal:       24683012 kB\nMemFree:        23604316 kB\n";
    assertThat(MachineDescription.memTotal(meminfo)).isEqualTo(24683012L * 1024);
    assertThat(MachineDescription.memTotal("MemFree: 1 kB\n")).isZero();
  }

  @Test
  void readsTheFirstCpuModelName() {
    String cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8375C\n"
        + "processor\t: 1\nmodel name\t: Other\n";
    assertThat(MachineDescription.cpuModel(cpuinfo)).contains("Intel(R) Xeon(R) Platinum 8375C");
    assertThat(MachineDescription.cpuModel("processor\t: 0\n")).isEmpty();
  }

  @Test
  void readsTheThreeLoadAverages() {
    assertThat(MachineDescription.loadAverage("7.64 8.65 6.29 3/412 11406\n")).isEqualTo("7.64 8.65 6.29");
    assertThat(MachineDescription.loadAverage("")).isEqualTo("unknown");
  }

  @Test
  void describesThisMachineWithEveryField() {
    MachineDescription m = MachineDescription.ofThisMachine("not measured");
    assertThat(m.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(m.fields()).containsOnlyKeys("cpus", "memory", "load", "kernel", "cpu", "java", "docker")
        .containsEntry("docker", "not measured")
        .containsEntry("cpus", Integer.toString(m.cpus()));
    assertThat(m.fields().get("java")).startsWith(Runtime.version().toString());
  }
}
