package dev.skiff.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's rules for deriving the process from an image config and a spec's overrides. */
class ProcessSettingsTest {
  @TempDir Path lower;
  @TempDir Path upper;
  ImageUsers users;

  @BeforeEach
  void writePasswd() throws IOException {
    Files.createDirectories(lower.resolve("etc"));
    Files.writeString(lower.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nold:x:5:5::/old:/bin/sh\n");
    Files.createDirectories(upper.resolve("etc"));
    Files.writeString(upper.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
    Files.writeString(upper.resolve("etc/group"), "root:x:0:\napp:x:1000:\nwheel:x:10:app,root\n");
    users = ImageUsers.read(List.of(upper, lower));
  }

  static ImageConfig config(List<String> entrypoint, List<String> cmd, String user, String workdir, String... env) {
    return new ImageConfig("linux", "amd64", user, List.of(env), entrypoint, cmd, workdir, Set.of(), Map.of(),
        Optional.empty(), Optional.empty(), List.of());
  }

  ProcessSettings run(ContainerSpec.Builder spec, ImageConfig config) throws ContainerException {
    return ProcessSettings.resolve(spec.build(), config, users, "abc123");
  }

  @Test
  void entrypointPlusCmd() throws Exception {
    ImageConfig image = config(List.of("/entry.sh"), List.of("serve", "--port=1"), "", "");
    assertThat(run(ContainerSpec.builder("i"), image).argv()).containsExactly("/entry.sh", "serve", "--port=1");
    assertThat(run(ContainerSpec.builder("i").command("x"), image).argv()).containsExactly("/entry.sh", "x");
    // As with Docker, a new entrypoint drops the image's Cmd...
    assertThat(run(ContainerSpec.builder("i").entrypoint("/bin/sh"), image).argv()).containsExactly("/bin/sh");
    // ...unless a command is given too.
    assertThat(run(ContainerSpec.builder("i").entrypoint("/bin/sh").command("-c", "true"), image).argv())
        .containsExactly("/bin/sh", "-c", "true");
  }

  @Test
  void envMergesOverTheImagesWithDefaults() throws Exception {
    ImageConfig image = config(List.of(), List.of("sh"), "app", "", "A=image", "B=image");
    ProcessSettings p = run(ContainerSpec.builder("i").env("B", "spec").env("C", "spec"), image);
    assertThat(p.env()).containsExactly("PATH=" + ProcessSettings.DEFAULT_PATH, "HOSTNAME=abc123", "A=image",
        "B=spec", "C=spec", "HOME=/home/app");
    ImageConfig withPath = config(List.of(), List.of("sh"), "", "", "PATH=/only", "HOME=/custom");
    assertThat(run(ContainerSpec.builder("i").hostname("h"), withPath).env())
        .containsExactly("PATH=/only", "HOSTNAME=h", "HOME=/custom");
  }

  @Test
  void usersResolveFromTheTopmostPasswd() throws Exception {
    ImageConfig image = config(List.of(), List.of("sh"), "", "");
    assertThat(run(ContainerSpec.builder("i"), image).identity())
        .isEqualTo(new ImageUsers.Identity(0, 0, List.of(0, 10), "/root"));
    assertThat(run(ContainerSpec.builder("i").user("app"), image).identity())
        .isEqualTo(new ImageUsers.Identity(1000, 1000, List.of(1000, 10), "/home/app"));
    assertThat(run(ContainerSpec.builder("i").user("app:wheel"), image).identity())
        .isEqualTo(new ImageUsers.Identity(1000, 10, List.of(10), "/home/app"));
    assertThat(run(ContainerSpec.builder("i").user("77:88"), image).identity())
        .isEqualTo(new ImageUsers.Identity(77, 88, List.of(), "/"));
    // "old" exists only in the lower layer's passwd, which the upper one hides.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(ContainerSpec.builder("i").user("old"), image))
        .isInstanceOf(ContainerException.class).hasMessageContaining("'old' is not in /etc/passwd");
  }

  @Test
  void workingDirComesFromTheSpecTheImageOrRoot() throws Exception {
    assertThat(run(ContainerSpec.builder("i"), config(List.of(), List.of("sh"), "", "")).workingDir()).isEqualTo("/");
    assertThat(run(ContainerSpec.builder("i"), config(List.of(), List.of("sh"), "", "/data")).workingDir())
        .isEqualTo("/data");
    assertThat(run(ContainerSpec.builder("i").workingDir("/w"), config(List.of(), List.of("sh"), "", "/data"))
        .workingDir()).isEqualTo("/w");
  }
}
