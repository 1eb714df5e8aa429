package dev.skiff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledSkiffTest {
  @TempDir
  Path dir;

  @Test
  void jarsAndPomsAreSharedWhileWhatMavenRewritesIsCopied() throws IOException {
    Path user = Files.createDirectories(dir.resolve("user/org/example/lib/1.0"));
    Files.writeString(user.resolve("lib-1.0.jar"), "jar");
    Files.writeString(user.resolve("lib-1.0.pom"), "pom");
    Files.writeString(user.resolve("_remote.repositories"), "lib-1.0.jar>central=");
    Files.writeString(user.resolve("../maven-metadata-local.xml"), "<metadata/>");
    Path copy = dir.resolve("copy");

    InstalledSkiff.linkTree(dir.resolve("user"), copy);

    Path copied = copy.resolve("org/example/lib/1.0");
    assertThat(Files.isSameFile(copied.resolve("lib-1.0.jar"), user.resolve("lib-1.0.jar"))).isTrue();
    assertThat(Files.isSameFile(copied.resolve("lib-1.0.pom"), user.resolve("lib-1.0.pom"))).isTrue();
    Files.writeString(copied.resolve("_remote.repositories"), "rewritten");
    Files.writeString(copied.resolve("../maven-metadata-local.xml"), "rewritten");
    assertThat(Files.readString(user.resolve("_remote.repositories"))).isEqualTo("lib-1.0.jar>central=");
    assertThat(Files.readString(user.resolve("../maven-metadata-local.xml"))).isEqualTo("<metadata/>");
  }

  @Test
  void aMissingUserRepositorySaysHowToGetOne() {
    assertThatThrownBy(() -> InstalledSkiff.install(dir, dir.resolve("none"), dir.resolve("copy"), "mvn",
        dir.resolve("log"))).isInstanceOf(IOException.class).hasMessageContaining("./dev test")
        .hasMessageContaining("--maven-repository");
  }
}
