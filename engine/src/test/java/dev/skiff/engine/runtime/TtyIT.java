package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Pseudo-terminals for containers and execs, in real containers. */
class TtyIT extends RuntimeIT {
  /** What a terminal's output is as lines: it ends them with CRLF. */
  static String lf(String ttyOutput) {
    return ttyOutput.replace("\r\n", "\n");
  }

  static void awaitOutput(Container c, String text) {
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(lf(c.logs().stdout())).contains(text));
  }

  static void type(Container c, String text) throws IOException {
    OutputStream in = c.stdin();
    in.write(text.getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  @Test
  void aTtyIsATerminalOfTheContainersDevptsOfTheRequestedSize() throws Exception {
    try (Container c = runToExit(ContainerSpec.builder(BUSYBOX).ttySize(33, 101).user("app").command("sh", "-c",
        "tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo terminal; stty size; ls -1 /dev/pts; stat -c '%u %g' $(tty);"
            + " echo to-stderr >&2; exit 4"))) {
      assertThat(c.exitCode()).hasValue(4);
      assertThat(c.logs().stdout()).contains("\r\n"); // the terminal's ONLCR, as with docker run -t
      assertThat(lf(c.logs().stdout())).isEqualTo("/dev/pts/0\nterminal\n33 101\n0\nptmx\n1000 5\nto-stderr\n");
      assertThat(c.logs().stderr()).isEmpty();
    }
  }

  @Test
  void withoutTtyNothingIsATerminal() throws Exception {
    try (Container c = runToExit(ContainerSpec.builder(BUSYBOX).command("sh", "-c",
        "[ -t 0 ] || [ -t 1 ] || [ -t 2 ] || echo none; tty; ls /dev/pts"))) {
      assertThat(c.logs().stdout()).isEqualTo("none\nnot a tty\nptmx\n");
    }
  }

  @Test
  void anInteractiveShellAnswersWhatIsTypedFollowsResizesAndExitsWithItsCode() throws Exception {
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX).tty(true).stdinOpen(true).command("sh").build())) {
      awaitOutput(c, "# "); // the prompt of an interactive sh
      type(c, "echo $((6*7)); stty size\n");
      awaitOutput(c, "\n42\n24 80\n");
      // A foreground job gets SIGWINCH when the terminal is resized.
      type(c, "sh -c 'trap \"echo resized to \\$(stty size); exit\" WINCH; echo waiting; while :; do sleep 0.1; done'\n");
      awaitOutput(c, "\nwaiting\n");
      c.resizeTty(50, 132);
      awaitOutput(c, "resized to 50 132\n");
      type(c, "exit 3\n");
      assertThat(c.waitFor(TIMEOUT)).isEqualTo(3);
      assertThat(c.logs().stdout()).contains("echo $((6*7)); stty size\r\n"); // the shell's line editor echoed it
    }
  }

  @Test
  void controlCharactersAreTheTerminalsSignalsAndEndOfInput() throws Exception {
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX).tty(true).stdinOpen(true).command("sh", "-c",
        "trap 'echo interrupted' INT; sleep 1000 & wait; echo waited; cat; echo cat-ended; exit 5").build())) {
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(c.exec("ps", "-o", "args").stdout()).contains("sleep 1000"));
      type(c, "\u0003"); // ^C: SIGINT to the foreground group
      awaitOutput(c, "interrupted\nwaited\n");
      type(c, "line\n\u0004"); // ^D: end of input for cat
      assertThat(c.waitFor(TIMEOUT)).isEqualTo(5);
      assertThat(lf(c.logs().stdout())).endsWith("line\nline\ncat-ended\n");
    }
  }

  @Test
  void initModeMakesTheCommandTheTerminalsForegroundGroup() throws Exception {
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX).tty(true).stdinOpen(true).init(true)
        .command("sh", "-c", "trap 'echo interrupted; exit 6' INT; tty; while true; do sleep 0.1; done").build())) {
      awaitOutput(c, "/dev/pts/0\n");
      type(c, "\u0003");
      assertThat(c.waitFor(TIMEOUT)).isEqualTo(6);
      assertThat(lf(c.logs().stdout())).isEqualTo("/dev/pts/0\n^Cinterrupted\n");
    }
  }

  @Test
  void stdinWithoutTtyIsAPipeThatEnds() throws Exception {
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX).stdinOpen(true).command("sh", "-c",
        "[ -t 0 ] || echo pipe; wc -l").build())) {
      type(c, "one\ntwo\n");
      c.stdin().close();
      assertThat(c.waitFor(TIMEOUT)).isZero();
      assertThat(c.logs().stdout()).isEqualTo("pipe\n2\n");
    }
  }

  @Test
  void aQuickExecWithTtyLosesNoOutput() throws Exception {
    // The process may send its terminal, write and exit before the relay runs: the relay then gets the master and
    // the launcher's stop in one poll, and must still copy the output.
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX).command("sleep", "1000").build())) {
      for (int i = 0; i < 40; i++) {
        ExecResult r = c.exec(ExecSpec.builder("echo", "line " + i).tty(true).build());
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).as("exec %d", i).isEqualTo("line " + i + "\r\n");
      }
    }
  }

  @Test
  void execWithTtyGetsATerminalOfItsOwnInTheContainer() throws Exception {
    try (Container c = engine.run(ContainerSpec.builder(BUSYBOX).tty(true).command("sleep", "1000").build())) {
      ExecResult r = c.exec(ExecSpec.builder("sh", "-c", "tty; stty size; ps -o pid,tty,args; exit 2")
          .ttySize(20, 70).build());
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stderr()).isEmpty();
      java.util.List<String> lines = lf(r.stdout()).lines().toList();
      assertThat(lines.subList(0, 2)).containsExactly("/dev/pts/1", "20 70"); // pts/0 is PID 1's
      // PID 1 on its terminal (busybox ps names it by device number), the exec's shell and its ps on theirs, and
      // nothing else: the exec's relay is not in the container.
      assertThat(lines.subList(3, lines.size())).satisfiesExactly(
          l -> assertThat(l).matches("\\s*1 136,0 +sleep 1000"),
          l -> assertThat(l).matches("\\s*\\d+ 136,1 +sh -c tty.*"),
          l -> assertThat(l).matches("\\s*\\d+ 136,1 +\\{ps\\} .*"));
      assertThat(c.exec("sh", "-c", "[ -t 1 ] || echo no-tty").stdout()).isEqualTo("no-tty\n");
    }
  }

  @Test
  void stdinAndResizeNeedTheirOptions() throws Exception {
    try (Container c = engine.run(sleeping().build())) {
      assertThatThrownBy(c::stdin).isInstanceOf(IllegalStateException.class).hasMessageContaining("stdinOpen(true)");
      assertThatThrownBy(() -> c.resizeTty(10, 10)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("tty(true)");
    }
    assertThatThrownBy(() -> ContainerSpec.builder(BUSYBOX).ttySize(0, 80)).isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("1..65535");
  }
}
