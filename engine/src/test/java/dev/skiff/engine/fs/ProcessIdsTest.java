package dev.skiff.engine.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessIdsTest {
  @Test
  void theEffectiveIdsAreTheSecondColumn() {
    String status = "Name:\tjava\nUmask:\t0022\nUid:\t1000\t0\t0\t0\nGid:\t1001\t65534\t1001\t1001\nNgid:\t0\n";
    assertThat(ProcessIds.parse(status)).containsExactly(0, 65534);
  }

  @Test
  void thisProcessMatchesWhatTheJdkSays() throws Exception {
    long uid = (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
    assertThat(ProcessIds.effectiveUid()).isEqualTo(uid);
  }

  @Test
  void aStatusWithoutIdsIsRefused() {
    assertThatThrownBy(() -> ProcessIds.parse("Name:\tjava\n")).hasMessageContaining("lacks its Uid:");
  }
}
