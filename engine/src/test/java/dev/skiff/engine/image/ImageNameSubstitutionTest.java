package dev.skiff.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageNameSubstitutionTest {
  static String apply(ImageNameSubstitution s, String ref) {
    return s.apply(ImageReference.parse(ref)).toString();
  }

  @Test
  void repositoryRuleMatchesEveryTagAndFixedTargetWins() {
    var s = ImageNameSubstitution.of(Map.of("mysql", "127.0.0.1:5000/library/mariadb:10.11"), Map.of());

    assertThat(apply(s, "mysql:8.0")).isEqualTo("127.0.0.1:5000/library/mariadb:10.11");
    assertThat(apply(s, "mysql")).isEqualTo("127.0.0.1:5000/library/mariadb:10.11");
    assertThat(apply(s, "mariadb:10.11")).isEqualTo("docker.io/library/mariadb:10.11");
  }

  @Test
  void targetWithoutTagKeepsTheTagAskedFor() {
    var s = ImageNameSubstitution.of(Map.of("mysql", "registry.example:5000/library/mysql"), Map.of());

    assertThat(apply(s, "mysql:8.0")).isEqualTo("registry.example:5000/library/mysql:8.0");
  }

  @Test
  void taggedRuleMatchesOnlyThatTag() {
    var s = ImageNameSubstitution.of(Map.of("redis:7.0", "redis:7.2"), Map.of());

    assertThat(apply(s, "redis:7.0")).isEqualTo("docker.io/library/redis:7.2");
    assertThat(apply(s, "redis:6")).isEqualTo("docker.io/library/redis:6");
  }

  @Test
  void mirrorsApplyAfterImageRules() {
    Map<String, String> images = new LinkedHashMap<>();
    images.put("mysql", "mariadb:10.11");
    var s = ImageNameSubstitution.of(images, Map.of("index.docker.io", "127.0.0.1:5000"));

    assertThat(apply(s, "mysql:8.0")).isEqualTo("127.0.0.1:5000/library/mariadb:10.11");
    assertThat(apply(s, "quay.io/org/app:1")).isEqualTo("quay.io/org/app:1");
  }
}
