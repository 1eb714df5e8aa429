package dev.skiff.engine.runtime;

import static dev.skiff.engine.runtime.ContainerIT.BUSYBOX;
import static dev.skiff.engine.runtime.ContainerIT.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    spare.destroyForcibly(); // and a start as soon as it is dead: its exit may not be reaped yet
    await().atMost(TIMEOUT).until(() -> dead(spare.pid())); // SIGKILL is not instant under load

    assertThat(runTrue()).isEqualTo(3);
    assertThat(spare.isAlive()).isFalse();
    assertThat(server().pid()).as("the same server").isEqualTo(server.pid());
    await().atMost(TIMEOUT).until(() -> server.children().count() == 1);
    assertThat(server.children().findFirst().orElseThrow().pid()).isNotEqualTo(spare.pid());
  }

  @Test
  void aLaunchersPipesOutliveItsExitUntilTheEngineOpensThem(@TempDir Path dir) throws Exception {
    LauncherBinary binary = LauncherBinary.extract(dir.resolve("bin"));
    Path socket = dir.resolve("server.sock");
    Process server;
    try (ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listening.bind(UnixDomainSocketAddress.of(socket));
      server = binary.start(exe -> new ProcessBuilder(exe, "serve", socket.toString())
          .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD));
      try (SocketChannel control = listening.accept()) {
        BufferedReader replies = new BufferedReader(new InputStreamReader(Channels.newInputStream(control),
            StandardCharsets.US_ASCII));
        String nobody = dir.resolve("nobody-listens.sock").toString();
        write(control, "spawn " + nobody + "\n1\n\0");
        String[] forked = replies.readLine().split(" ");
        assertThat(forked[0]).isEqualTo("forked");

        // The launcher cannot connect and exits at once; the engine opens its pipes only after that exit.
        assertThat(replies.readLine()).startsWith("exited " + forked[1] + " ");
        String fds = "/proc/" + server.pid() + "/fd/";
        try (FileInputStream stderr = new FileInputStream(fds + forked[3])) {
          write(control, "opened " + forked[1] + "\n");
          assertThat(new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8)).readLine())
              .startsWith("error\tconnect\t" + nobody + "\t");
        }
      }
    }
    assertThat(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the server ends at EOF").isTrue();
  }

  @Test
  void everyLauncherThatExitsAtOnceReportsItsExitAndItsError(@TempDir Path dir) throws Exception {
    LauncherBinary binary = LauncherBinary.extract(dir.resolve("bin"));
    ExecutorService io = Executors.newCachedThreadPool();
    try (LauncherServer server = LauncherServer.start(binary, dir.resolve("server.sock"), io)) {
      for (int i = 0; i < 200; i++) { // its exit and its pipes race the engine's reading of "forked"
        String nobody = dir.resolve("nobody-" + i + ".sock").toString();
        Process launcher = server.spawn(Path.of(nobody), "1\n\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(launcher.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue()).isEqualTo(2);
        assertThat(new BufferedReader(new InputStreamReader(launcher.getErrorStream(), StandardCharsets.UTF_8))
            .readLine()).startsWith("error\tconnect\t" + nobody + "\t");
        launcher.getInputStream().close();
        launcher.getErrorStream().close();
      }
    } finally {
      io.shutdownNow();
    }
  }

  @Test
  void aServerThatDoesNotAnswerIsRetiredSoThatItsLateAnswerIsNobodysReply(@TempDir Path dir) throws Exception {
    LauncherBinary binary = LauncherBinary.extract(dir.resolve("bin"));
    Path socket = dir.resolve("server.sock");
    ExecutorService io = Executors.newCachedThreadPool();
    try (LauncherServer server = LauncherServer.start(binary, socket, io)) {
      ProcessHandle process = ProcessHandle.current().children()
          .filter(p -> p.info().arguments().map(a -> List.of(a).contains(socket.toString())).orElse(false))
          .findFirst().orElseThrow();
      new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start().waitFor();
      try {
        assertThatThrownBy(() -> server.spawn(dir.resolve("late.sock"), "1\n\0".getBytes(StandardCharsets.US_ASCII)))
            .isInstanceOf(ContainerException.class).hasMessageContaining("no answer within 10 s");
        assertThat(server.alive()).as("a runtime starts a new server instead").isFalse();
      } finally {
        new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).start().waitFor();
      }
      assertThat(process.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
    } finally {
      io.shutdownNow();
    }
  }

  /** Whether {@code pid} has died: gone, or a zombie its parent has not reaped yet. */
  private static boolean dead(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return true;
    }
  }

  private static void write(SocketChannel channel, String text) throws Exception {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
