package dev.skiff.engine.registry;

import java.util.Objects;

/**
 * What a registry login needs: a username and password, or an identity token (an OAuth refresh token, as Docker
 * stores after {@code docker login} to some registries). {@code toString()} never shows a secret.
 */
public sealed interface Credentials permits Credentials.UsernamePassword, Credentials.IdentityToken {

  /** A username and password (or access token used as a password). */
  record UsernamePassword(String username, String password) implements Credentials {
    /** Both values are required; the password may be empty. */
    public UsernamePassword {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "UsernamePassword[username=" + username + ", password=<hidden>]";
    }
  }

  /** A refresh token to exchange at the registry's token endpoint, with no username. */
  record IdentityToken(String token) implements Credentials {
    /** The token is required. */
    public IdentityToken {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "IdentityToken[<hidden>]";
    }
  }
}
