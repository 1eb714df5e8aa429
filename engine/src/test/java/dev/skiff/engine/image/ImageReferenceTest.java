package dev.skiff.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.skiff.engine.hash.Digest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageReferenceTest {
  private static final String SHA256 = "sha256:" + "f".repeat(64);
  private static final String SHA512 = "sha512:" + "e".repeat(128);
  private static final String HEX64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";

  /** input, registry, repository, tag (null: none), digest (null: none), canonical form, familiar form. */
  static Stream<Arguments> valid() {
    return Stream.of(
        arguments("redis", "docker.io", "library/redis", "latest", null,
            "docker.io/library/redis:latest", "redis:latest"),
        arguments("redis:7.0", "docker.io", "library/redis", "7.0", null,
            "docker.io/library/redis:7.0", "redis:7.0"),
        arguments("docker.io/library/redis:latest", "docker.io", "library/redis", "latest", null,
            "docker.io/library/redis:latest", "redis:latest"),
        arguments("docker.io/redis", "docker.io", "library/redis", "latest", null,
            "docker.io/library/redis:latest", "redis:latest"),
        arguments("index.docker.io/redis:6", "docker.io", "library/redis", "6", null,
            "docker.io/library/redis:6", "redis:6"),
        arguments("registry-1.docker.io/library/redis:7", "docker.io", "library/redis", "7", null,
            "docker.io/library/redis:7", "redis:7"),
        arguments("Docker.IO/redis", "docker.io", "library/redis", "latest", null,
            "docker.io/library/redis:latest", "redis:latest"),
        arguments("dmcgowan/myapp", "docker.io", "dmcgowan/myapp", "latest", null,
            "docker.io/dmcgowan/myapp:latest", "dmcgowan/myapp:latest"),
        arguments("other/library:1", "docker.io", "other/library", "1", null,
            "docker.io/other/library:1", "other/library:1"),
        arguments("library/foo/bar", "docker.io", "library/foo/bar", "latest", null,
            "docker.io/library/foo/bar:latest", "library/foo/bar:latest"),
        arguments("docker.io/a.b/c", "docker.io", "a.b/c", "latest", null,
            "docker.io/a.b/c:latest", "docker.io/a.b/c:latest"),
        arguments("test_com", "docker.io", "library/test_com", "latest", null,
            "docker.io/library/test_com:latest", "test_com:latest"),
        arguments("test.com:tag", "docker.io", "library/test.com", "tag", null,
            "docker.io/library/test.com:tag", "test.com:tag"),
        arguments("test.com:5000", "docker.io", "library/test.com", "5000", null,
            "docker.io/library/test.com:5000", "test.com:5000"),
        arguments("foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", null,
            "docker.io/library/foo_bar.com:8080", "foo_bar.com:8080"),
        arguments("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", null,
            "docker.io/foo/foo_bar.com:8080", "foo/foo_bar.com:8080"),
        arguments("192.168.1.1", "docker.io", "library/192.168.1.1", "latest", null,
            "docker.io/library/192.168.1.1:latest", "192.168.1.1:latest"),
        arguments("test.com/repo:tag", "test.com", "repo", "tag", null,
            "test.com/repo:tag", "test.com/repo:tag"),
        arguments("test:5000/repo", "test:5000", "repo", "latest", null,
            "test:5000/repo:latest", "test:5000/repo:latest"),
        arguments("test:5000/repo@" + SHA256, "test:5000", "repo", null, SHA256,
            "test:5000/repo@" + SHA256, "test:5000/repo@" + SHA256),
        arguments("test:5000/repo:tag@" + SHA256, "test:5000", "repo", "tag", SHA256,
            "test:5000/repo:tag@" + SHA256, "test:5000/repo:tag@" + SHA256),
        arguments("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", null,
            "docker.io/library/lowercase:Uppercase", "lowercase:Uppercase"),
        arguments("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag",
            null, "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux:some-long-tag"),
        arguments("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app",
            "test.example.com", null, "b.gcr.io/test.example.com/my-app:test.example.com",
            "b.gcr.io/test.example.com/my-app:test.example.com"),
        arguments("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null,
            "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com/myimage:xn--n3h.com"),
        arguments("xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512, "xn--7o8h.com", "myimage", "xn--7o8h.com", SHA512,
            "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512, "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512),
        arguments("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", null,
            "192.168.1.1:5000/repo:5050", "192.168.1.1:5000/repo:5050"),
        arguments("127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker", "latest", null,
            "127.0.0.1:5000/docker/docker:latest", "127.0.0.1:5000/docker/docker:latest"),
        arguments("[2001:db8::1]/repo", "[2001:db8::1]", "repo", "latest", null,
            "[2001:db8::1]/repo:latest", "[2001:db8::1]/repo:latest"),
        arguments("[2001:db8::1]:5000/repo:tag@" + SHA256, "[2001:db8::1]:5000", "repo", "tag", SHA256,
            "[2001:db8::1]:5000/repo:tag@" + SHA256, "[2001:db8::1]:5000/repo:tag@" + SHA256),
        arguments("[::1]:5000/repo", "[::1]:5000", "repo", "latest", null,
            "[::1]:5000/repo:latest", "[::1]:5000/repo:latest"),
        arguments("[FC00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian",
            "latest", null, "[fc00:1:2:3:4:5:6:7]:5000/library/debian:latest",
            "[fc00:1:2:3:4:5:6:7]:5000/library/debian:latest"),
        arguments("localhost/app", "localhost", "app", "latest", null,
            "localhost/app:latest", "localhost/app:latest"),
        arguments("localhost:5000/team/app:1", "localhost:5000", "team/app", "1", null,
            "localhost:5000/team/app:1", "localhost:5000/team/app:1"),
        arguments("ghcr.io/org/app:1.0", "ghcr.io", "org/app", "1.0", null,
            "ghcr.io/org/app:1.0", "ghcr.io/org/app:1.0"),
        arguments("docker---rules/docker", "docker.io", "docker---rules/docker", "latest", null,
            "docker.io/docker---rules/docker:latest", "docker---rules/docker:latest"),
        arguments("dock__er/d:_x", "docker.io", "dock__er/d", "_x", null,
            "docker.io/dock__er/d:_x", "dock__er/d:_x"),
        arguments("busybox:latest@" + SHA256, "docker.io", "library/busybox", "latest", SHA256,
            "docker.io/library/busybox:latest@" + SHA256, "busybox:latest@" + SHA256),
        arguments("redis@" + SHA256, "docker.io", "library/redis", null, SHA256,
            "docker.io/library/redis@" + SHA256, "redis@" + SHA256),
        arguments("docker.io/" + HEX64, "docker.io", "library/" + HEX64, "latest", null,
            "docker.io/library/" + HEX64 + ":latest", HEX64 + ":latest"),
        arguments("app:" + "t".repeat(128), "docker.io", "library/app", "t".repeat(128), null,
            "docker.io/library/app:" + "t".repeat(128), "app:" + "t".repeat(128)),
        arguments("example.com/" + "a".repeat(243), "example.com", "a".repeat(243), "latest", null,
            "example.com/" + "a".repeat(243) + ":latest", "example.com/" + "a".repeat(243) + ":latest"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("valid")
  void parsesValidReferences(String input, String registry, String repository, String tag, String digest,
      String canonical, String familiar) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(java.util.Optional.ofNullable(tag));
    assertThat(ref.digest().map(Digest::toString)).isEqualTo(java.util.Optional.ofNullable(digest));
    assertThat(ref.reference()).isEqualTo(digest != null ? digest : tag);
    assertThat(ref).hasToString(canonical);
    assertThat(ref.familiarName()).isEqualTo(familiar);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("valid")
  void canonicalAndFamiliarFormsParseBackToEqualReferences(String input) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref).hasSameHashCodeAs(ref);
    assertThat(ImageReference.parse(ref.familiarName())).isEqualTo(ref);
  }

  /** input, a fragment the message must contain. */
  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments("", "it is empty"),
        arguments("redis 7", "contains whitespace"),
        arguments(":justtag", "the repository name is missing"),
        arguments("@" + SHA256, "the repository name is missing"),
        arguments("repo@sha256:ffffffffffffffffffffffffffffffffff", "its digest is invalid"),
        arguments("validname@invaliddigest:" + "f".repeat(64), "Unsupported digest algorithm 'invaliddigest'"),
        arguments("redis@", "nothing follows '@'"),
        arguments("redis@" + SHA256 + "@" + SHA256, "more than one '@'"),
        arguments("Uppercase:tag", "repository names must be lowercase: try 'uppercase:tag'"),
        arguments("MyOrg/App", "repository names must be lowercase: try 'myorg/app'"),
        arguments("docker/Docker", "repository names must be lowercase: try 'docker/docker'"),
        arguments("test:5000/Uppercase/lowercase:tag",
            "repository names must be lowercase: try 'test:5000/uppercase/lowercase:tag'"),
        arguments("docker.io/docker/Docker@" + SHA256,
            "repository names must be lowercase: try 'docker.io/docker/docker@" + SHA256 + "'"),
        arguments("My_-App/x", "repository names must be lowercase: use lowercase letters"),
        arguments("repo/Ä", "repository names must be lowercase"),
        arguments("aa/asdf$$^/aa", "repository component 'asdf$$^' contains '$', which is not allowed"),
        arguments("repo/ä", "contains 'ä', which is not allowed"),
        arguments("-docker", "repository component '-docker' is malformed"),
        arguments("-docker/docker", "repository component '-docker' is malformed"),
        arguments("docker-/docker", "repository component 'docker-' is malformed"),
        arguments("____/____", "repository component '____' is malformed"),
        arguments("_docker/_docker", "repository component '_docker' is malformed"),
        arguments("docker/dock..er", "repository component 'dock..er' is malformed"),
        arguments("docker/dock_.er", "repository component 'dock_.er' is malformed"),
        arguments("docker/dock-.er", "repository component 'dock-.er' is malformed"),
        arguments("dock___er/docker", "repository component 'dock___er' is malformed"),
        arguments("dock..er/docker", "registry host 'dock..er' is not a valid host name"),
        arguments("docker///docker", "repository path 'docker///docker' has an empty component"),
        arguments("docker/", "has an empty component"),
        arguments("/redis", "has an empty component"),
        arguments("docker.io/docker///docker", "repository path 'docker///docker' has an empty component"),
        arguments("localhost:5000/", "repository path '' has an empty component"),
        arguments(HEX64, "is an image ID, not a name"),
        arguments("redis:", "the tag after ':' is empty"),
        arguments("redis:@" + SHA256, "the tag after ':' is empty"),
        arguments("redis:-x", "tag '-x' starts with '-'"),
        arguments("redis:.x", "tag '.x' starts with '.'"),
        arguments("redis:v1+build", "tag 'v1+build' contains '+', which is not allowed"),
        arguments("ubuntu:läst", "contains 'ä', which is not allowed"),
        arguments("redis:" + "a".repeat(129), "the tag is 129 characters long, over the limit of 128"),
        arguments("a/".repeat(128) + "a:tag", "is 267 characters long, over the limit of 255"),
        arguments("a/".repeat(127) + "a:tag", "is 265 characters long, over the limit of 255"),
        arguments("example.com/" + "a".repeat(244), "is 256 characters long, over the limit of 255"),
        arguments("https://github.com/docker/docker",
            "looks like a URL, but references have no scheme: drop the scheme, as in 'github.com/docker/docker'"),
        arguments("[2001:db8::1]", "registry host '[2001:db8::1]' has no repository after it"),
        arguments("[2001:db8::1]:5000", "registry host '[2001:db8::1]:5000' has no repository after it"),
        arguments("[2001:db8::1]:tag", "has no repository after it"),
        arguments("[fe80::1%eth0]:5000/repo", "registry host '[fe80::1%eth0]:5000' is not a valid IPv6 address"),
        arguments("[2001:db8:3:4::192.0.2.33]:5000/debian", "is not a valid IPv6 address"),
        arguments("[::1/repo", "registry host '[::1' is not a valid IPv6 address"),
        arguments("[::1]x/repo", "is not a valid IPv6 address"),
        arguments("fc00::1:5000/debian", "registry host 'fc00::1:5000' looks like a bare IPv6 address"),
        arguments("-docker.io/docker/docker", "registry host '-docker.io' is not a valid host name"),
        arguments("exa_mple.com/app", "registry host 'exa_mple.com' is not a valid host name"),
        arguments("example..com/app", "registry host 'example..com' is not a valid host name"),
        arguments("localhost:0/app", "registry port '0' is not a number from 1 to 65535"),
        arguments("localhost:99999/app", "registry port '99999' is not a number from 1 to 65535"),
        arguments("example.com:/app", "registry port '' is not a number from 1 to 65535"),
        arguments("[::1]:http/app", "registry port 'http' is not a number"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalid")
  void rejectsInvalidReferencesSayingWhatIsWrong(String input, String fragment) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOfSatisfying(InvalidReferenceException.class, e -> assertThat(e.reference()).isEqualTo(input))
        .hasMessageStartingWith("Invalid image reference '" + input + "': ")
        .hasMessageContaining(fragment);
  }

  @Test
  void equalityIgnoresHowTheReferenceWasWritten() {
    ImageReference ref = ImageReference.parse("redis");

    assertThat(ref)
        .isEqualTo(ImageReference.parse("index.docker.io/library/redis:latest"))
        .hasSameHashCodeAs(ImageReference.parse("index.docker.io/library/redis:latest"))
        .isNotEqualTo(ImageReference.parse("redis:7"))
        .isNotEqualTo(ImageReference.parse("redis:latest@" + SHA256))
        .isNotEqualTo(ImageReference.parse("localhost/library/redis"));
  }

  @Test
  void apiHostIsDockerHubsRegistryEndpoint() {
    assertThat(ImageReference.parse("redis").isDockerHub()).isTrue();
    assertThat(ImageReference.parse("redis").apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("localhost:5000/redis").isDockerHub()).isFalse();
    assertThat(ImageReference.parse("localhost:5000/redis").apiHost()).isEqualTo("localhost:5000");
  }

  @Test
  void withRegistryMovesTheImageAndKeepsHubConventions() {
    ImageReference hub = ImageReference.parse("redis:7@" + SHA256);
    ImageReference local = ImageReference.parse("localhost:5000/app:1");

    assertThat(hub.withRegistry("LocalHost:5000")).hasToString("localhost:5000/library/redis:7@" + SHA256);
    assertThat(local.withRegistry("index.docker.io")).hasToString("docker.io/library/app:1");
    assertThat(local.withRegistry("[::1]:5001")).hasToString("[::1]:5001/app:1");
    assertThatThrownBy(() -> local.withRegistry("bad_host"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessage("Invalid image reference 'bad_host/app:1': registry host 'bad_host' is not a valid host name: "
            + "use letters, digits, '-' and '.', starting and ending each label with a letter or digit");
    assertThatThrownBy(() -> ImageReference.parse("a.io/" + "b".repeat(240)).withRegistry("c".repeat(20) + ".io"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("over the limit of 255");
  }

  @Test
  void withTagReplacesTheTagAndKeepsTheDigest() {
    ImageReference pinned = ImageReference.parse("redis@" + SHA256);

    assertThat(ImageReference.parse("redis").withTag("7.2")).isEqualTo(ImageReference.parse("redis:7.2"));
    assertThat(pinned.withTag("7.2")).hasToString("docker.io/library/redis:7.2@" + SHA256);
    assertThat(pinned.withTag("7.2").reference()).isEqualTo(SHA256);
    assertThatThrownBy(() -> pinned.withTag("7 2"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessage("Invalid image reference 'docker.io/library/redis:7 2': tag '7 2' contains ' ', which is not "
            + "allowed: use letters, digits, '_', '.' and '-'");
  }

  @Test
  void withDigestPinsTheImageAndKeepsTheTag() {
    Digest digest = Digest.parse(SHA256);
    ImageReference pinned = ImageReference.parse("ghcr.io/org/app:1").withDigest(digest);

    assertThat(pinned.digest()).contains(digest);
    assertThat(pinned.tag()).contains("1");
    assertThat(pinned.reference()).isEqualTo(SHA256);
    assertThat(pinned).isEqualTo(ImageReference.parse("ghcr.io/org/app:1@" + SHA256));
  }
}
