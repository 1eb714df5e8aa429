package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher server keeps one launcher forked ahead (a spare) and hands each start's spec to it. */
class LauncherServerIT extends RuntimeIT {
  private static ProcessHandle server() {
    List<ProcessHandle> servers = ProcessHandle.current().children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains("serve")).orElse(false)).toList();
    assertThat(servers).as("this JVM's launcher servers").hasSize(1);
    return servers.get(0);
  }

  private int runTrue() throws Exception {
    try (Container c = engine.create(ContainerSpec.builder(BUSYBOX).command("sh", "-c", "exit 3").build())) {
      c.start();
      return c.waitFor(TIMEOUT);
    }
  }

  @Test
  void aSpareIsReadyBetweenStartsAndOneKilledIsReplaced() throws Exception {
    assertThat(runTrue()).isEqualTo(3);
    ProcessHandle server = server();
    await().atMost(TIMEOUT).until(() -> server.children().count() == 1); // the last launcher gone, a spare left
    ProcessHandle spare = server.children().findFirst().orElseThrow();

    spare.destroyForcibly(); // and at once a start: its exit may not be reaped yet

    assertThat(runTrue()).isEqualTo(3);
    assertThat(spare.isAlive()).isFalse();
    assertThat(server().pid()).as("the same server").isEqualTo(server.pid());
    await().atMost(TIMEOUT).until(() -> server.children().count() == 1);
    assertThat(server.children().findFirst().orElseThrow().pid()).isNotEqualTo(spare.pid());
  }
}
