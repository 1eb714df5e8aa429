package dev.skiff.engine.runtime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to run in a running container, as {@code docker exec} takes it. Unset parts come from the container:
 * its environment (with these variables on top), its user and its working directory. Immutable.
 */
public final class ExecSpec {
  /** How long {@link Container#exec(ExecSpec)} waits for the command unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

  private final List<String> command;
  private final Map<String, String> env;
  private final Optional<String> user;
  private final Optional<String> workingDir;
  private final Duration timeout;
  private final boolean tty;
  private final Optional<TtySize> ttySize;

  private ExecSpec(Builder b) {
    this.command = b.command;
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.user = b.user;
    this.workingDir = b.workingDir;
    this.timeout = b.timeout;
    this.tty = b.tty;
    this.ttySize = b.ttySize;
  }

  /** {@code command} with the container's environment, user and working directory. */
  public static ExecSpec of(String... command) {
    return builder(command).build();
  }

  /** A builder for {@code command}: the program (looked up in the container's PATH) and its arguments. */
  public static Builder builder(String... command) {
    return new Builder(List.of(command));
  }

  public List<String> command() {
    return command;
  }

  /** Variables set on top of the container's. */
  public Map<String, String> env() {
    return env;
  }

  /** As Docker's {@code --user}; empty for the container's user. */
  public Optional<String> user() {
    return user;
  }

  /** Empty for the container's working directory. */
  public Optional<String> workingDir() {
    return workingDir;
  }

  /** How long to wait for the command before killing it. */
  public Duration timeout() {
    return timeout;
  }

  /** Whether the command gets a pseudo-terminal; see {@link Builder#tty}. */
  public boolean tty() {
    return tty;
  }

  /** The pseudo-terminal's initial size; empty: that of the caller's terminal when attached to one, else 24x80. */
  public Optional<TtySize> ttySize() {
    return ttySize;
  }

  @Override
  public String toString() {
    return String.join(" ", command);
  }

  /** Builds an {@link ExecSpec}. */
  public static final class Builder {
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Optional<String> user = Optional.empty();
    private Optional<String> workingDir = Optional.empty();
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean tty;
    private Optional<TtySize> ttySize = Optional.empty();

    private Builder(List<String> command) {
      if (command.isEmpty() || command.get(0).isEmpty()) {
        throw new IllegalArgumentException("An exec needs a command, e.g. ExecSpec.of(\"redis-cli\", \"ping\")");
      }
      this.command = command;
    }

    public Builder env(String name, String value) {
      if (name.isEmpty() || name.contains("=")) {
        throw new IllegalArgumentException("'" + name + "' is not an environment variable name");
      }
      env.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** As Docker's {@code --user}: {@code name}, {@code uid}, {@code name:group} or {@code uid:gid}. */
    public Builder user(String user) {
      this.user = Optional.of(user);
      return this;
    }

    public Builder workingDir(String dir) {
      if (dir == null || !dir.startsWith("/")) {
        throw new IllegalArgumentException("The exec working directory must be an absolute path in the container,"
            + " not '" + dir + "'");
      }
      this.workingDir = Optional.of(dir);
      return this;
    }

    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("An exec timeout must be positive, not " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Gives the command a pseudo-terminal of the container's as its stdin, stdout and stderr, like
     * {@code docker exec -t}: {@code tty} names a {@code /dev/pts/N}, and the command's output (stderr included,
     * with CRLF line ends) comes back as stdout.
     */
    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    /** Gives the command a pseudo-terminal ({@link #tty}) of {@code rows} by {@code cols} characters. */
    public Builder ttySize(int rows, int cols) {
      this.ttySize = Optional.of(new TtySize(rows, cols));
      this.tty = true;
      return this;
    }

    public ExecSpec build() {
      return new ExecSpec(this);
    }
  }
}
