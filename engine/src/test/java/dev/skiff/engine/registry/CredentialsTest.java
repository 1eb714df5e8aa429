package dev.skiff.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void toStringNeverShowsSecrets() {
    assertThat(new Credentials.UsernamePassword("alice", "s3cret-pw").toString())
        .contains("alice")
        .doesNotContain("s3cret-pw");
    assertThat(new Credentials.IdentityToken("s3cret-token").toString()).doesNotContain("s3cret-token");
  }

  @Test
  void equalValuesAreEqual() {
    assertThat(new Credentials.UsernamePassword("alice", "pw"))
        .isEqualTo(new Credentials.UsernamePassword("alice", "pw"))
        .isNotEqualTo(new Credentials.UsernamePassword("alice", "other"));
    assertThat(new Credentials.IdentityToken("t")).isEqualTo(new Credentials.IdentityToken("t"));
  }
}
