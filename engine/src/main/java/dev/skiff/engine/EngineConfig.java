package dev.skiff.engine;

import dev.skiff.engine.image.ImageNameSubstitution;
import dev.skiff.engine.image.Platform;
import dev.skiff.engine.pull.PullPolicy;
import dev.skiff.engine.registry.CredentialSource;
import dev.skiff.engine.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How an {@link Engine} pulls and where it stores. Built explicitly with {@link #builder()}, or read by
 * {@link #fromEnvironment()} from, in this order of precedence: system properties ({@code -Dskiff.pull.policy=never}),
 * environment variables ({@code SKIFF_PULL_POLICY=never}), and a {@code skiff.properties} file (the one named by
 * {@code skiff.config}, else {@code ./skiff.properties}, else one at the classpath root).
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>key</th><th>meaning</th><th>default</th></tr>
 * <tr><td>skiff.store</td><td>image store directory</td><td>$XDG_CACHE_HOME/skiff or ~/.cache/skiff</td></tr>
 * <tr><td>skiff.pull.policy</td><td>missing, always or never</td><td>missing</td></tr>
 * <tr><td>skiff.pull.concurrency</td><td>layers downloaded at once</td><td>4</td></tr>
 * <tr><td>skiff.registry.mirrors</td><td>{@code registry=mirror,...}, e.g. docker.io=127.0.0.1:5000</td><td></td></tr>
 * <tr><td>skiff.image.substitutions</td><td>{@code image=replacement,...}, e.g. mysql=reg:5000/mysql</td><td></td></tr>
 * <tr><td>skiff.registry.insecure</td><td>registries reached by plain HTTP (loopback always is)</td><td></td></tr>
 * <tr><td>skiff.timeout.connect / skiff.timeout.read</td><td>e.g. 10s, 500ms, 2m</td><td>10s / 30s</td></tr>
 * <tr><td>skiff.platform</td><td>os/arch[/variant] to pick from image indexes</td><td>this machine's</td></tr>
 * <tr><td>skiff.lock.file</td><td>{@linkplain dev.skiff.engine.lock.LockFile lock file} pinning tags to digests, or
 *     {@code none}</td><td>none (the JUnit extension: src/test/resources/skiff.lock)</td></tr>
 * <tr><td>skiff.lock.update</td><td>true to re-resolve locked tags and record their current digests</td>
 *     <td>false</td></tr>
 * <tr><td>skiff.snapshots</td><td>{@code off}: containers never start from
 *     {@linkplain dev.skiff.engine.runtime.ContainerSpec.Builder#snapshot snapshots}, even when their spec asks</td>
 *     <td>on</td></tr>
 * </table>
 */
public record EngineConfig(
    Path store,
    PullPolicy pullPolicy,
    int pullConcurrency,
    ImageNameSubstitution substitution,
    Set<String> insecureRegistries,
    Duration connectTimeout,
    Duration readTimeout,
    Platform platform,
    CredentialSource credentials,
    Optional<Path> lockFile,
    boolean lockUpdate,
    boolean snapshots) {

  public EngineConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(lockFile, "lockFile");
    insecureRegistries = Set.copyOf(insecureRegistries);
    if (pullConcurrency < 1) {
      throw new IllegalArgumentException("skiff.pull.concurrency must be at least 1, not " + pullConcurrency);
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration from system properties, environment and skiff.properties (see the class description). */
  public static EngineConfig fromEnvironment() {
    return fromEnvironment(defaults -> {});
  }

  /**
   * The configuration from system properties, environment and skiff.properties over {@code defaults}: a caller's own
   * defaults, such as the JUnit extension's lock file location.
   */
  public static EngineConfig fromEnvironment(Consumer<Builder> defaults) {
    return fromSources(System.getProperties()::getProperty, System.getenv()::get, loadPropertiesFile(), defaults);
  }

  static EngineConfig fromSources(
      Function<String, String> systemProperties, Function<String, String> env, Properties file) {
    return fromSources(systemProperties, env, file, defaults -> {});
  }

  static EngineConfig fromSources(Function<String, String> systemProperties, Function<String, String> env,
      Properties file, Consumer<Builder> defaults) {
    Function<String, String> setting = key -> {
      String v = systemProperties.apply(key);
      if (v == null) {
        v = env.apply(key.toUpperCase(Locale.ROOT).replace('.', '_'));
      }
      if (v == null) {
        v = file.getProperty(key);
      }
      return v == null || v.isBlank() ? null : v.trim();
    };
    Builder b = builder();
    defaults.accept(b);
    apply(setting.apply("skiff.store"), v -> b.store(Path.of(v)));
    apply(setting.apply("skiff.pull.policy"), v -> b.pullPolicy(PullPolicy.parse(v)));
    apply(setting.apply("skiff.pull.concurrency"), v -> b.pullConcurrency(parseInt("skiff.pull.concurrency", v)));
    apply(setting.apply("skiff.registry.insecure"), v -> b.insecureRegistries(Set.of(v.split("\\s*,\\s*"))));
    apply(setting.apply("skiff.timeout.connect"), v -> b.connectTimeout(parseDuration("skiff.timeout.connect", v)));
    apply(setting.apply("skiff.timeout.read"), v -> b.readTimeout(parseDuration("skiff.timeout.read", v)));
    apply(setting.apply("skiff.platform"), v -> b.platform(Platform.parse(v)));
    apply(setting.apply("skiff.lock.file"), v -> b.lockFile(v.equalsIgnoreCase("none") ? null : Path.of(v)));
    apply(setting.apply("skiff.lock.update"), v -> b.lockUpdate(Boolean.parseBoolean(v)));
    apply(setting.apply("skiff.snapshots"), v -> b.snapshots(parseSwitch("skiff.snapshots", v)));
    Map<String, String> images = pairs("skiff.image.substitutions", setting.apply("skiff.image.substitutions"));
    Map<String, String> mirrors = pairs("skiff.registry.mirrors", setting.apply("skiff.registry.mirrors"));
    b.substitution(ImageNameSubstitution.of(images, mirrors));
    return b.build();
  }

  private static void apply(String value, Consumer<String> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private static Properties loadPropertiesFile() {
    Properties p = new Properties();
    try {
      String explicit = System.getProperty("skiff.config", System.getenv("SKIFF_CONFIG"));
      Path file = explicit != null ? Path.of(explicit) : Path.of("skiff.properties");
      if (Files.isRegularFile(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          p.load(in);
        }
      } else if (explicit != null) {
        throw new IllegalArgumentException("skiff.config names " + file + ", which does not exist");
      } else {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("skiff.properties")) {
          if (in != null) {
            p.load(in);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read skiff.properties: " + e.getMessage(), e);
    }
    return p;
  }

  /** Parses {@code a=b,c=d}. */
  static Map<String, String> pairs(String key, String value) {
    Map<String, String> map = new LinkedHashMap<>();
    if (value == null) {
      return map;
    }
    for (String pair : value.split("\\s*,\\s*")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException(key + ": '" + pair + "' is not of the form from=to (pairs separated by"
            + " commas), e.g. docker.io=127.0.0.1:5000");
      }
      map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return map;
  }

  static Duration parseDuration(String key, String value) {
    var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|)").matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not a duration; write e.g. 500ms, 30s or 2m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number");
    }
  }

  private static boolean parseSwitch(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw new IllegalArgumentException(key + ": '" + value + "' is neither on nor off");
    };
  }

  /** Builds an {@link EngineConfig}. */
  public static final class Builder {
    private Path store = ImageStore.defaultRoot();
    private PullPolicy pullPolicy = PullPolicy.MISSING;
    private int pullConcurrency = 4;
    private ImageNameSubstitution substitution = ImageNameSubstitution.NONE;
    private Set<String> insecureRegistries = Set.of();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Platform platform = Platform.current();
    private CredentialSource credentials = CredentialSource.dockerConfig();
    private Path lockFile;
    private boolean lockUpdate;
    private boolean snapshots = true;

    private Builder() {}

    public Builder store(Path store) {
      this.store = store;
      return this;
    }

    public Builder pullPolicy(PullPolicy policy) {
      this.pullPolicy = policy;
      return this;
    }

    public Builder pullConcurrency(int layers) {
      this.pullConcurrency = layers;
      return this;
    }

    public Builder substitution(ImageNameSubstitution substitution) {
      this.substitution = substitution;
      return this;
    }

    public Builder insecureRegistries(Set<String> registries) {
      this.insecureRegistries = registries;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    public Builder platform(Platform platform) {
      this.platform = platform;
      return this;
    }

    /** Where registry credentials come from; by default Docker's config files and credential helpers. */
    public Builder credentials(CredentialSource credentials) {
      this.credentials = credentials;
      return this;
    }

    /** The lock file pinning tags to digests ({@code null}: none); see {@link dev.skiff.engine.lock.ImageLock}. */
    public Builder lockFile(Path lockFile) {
      this.lockFile = lockFile;
      return this;
    }

    /** Whether to re-resolve locked tags and record the digests they name now. */
    public Builder lockUpdate(boolean update) {
      this.lockUpdate = update;
      return this;
    }

    /** Whether containers whose spec asks for a snapshot start from one; {@code false} turns snapshots off. */
    public Builder snapshots(boolean snapshots) {
      this.snapshots = snapshots;
      return this;
    }

    public EngineConfig build() {
      return new EngineConfig(store, pullPolicy, pullConcurrency, substitution, insecureRegistries, connectTimeout,
          readTimeout, platform, credentials, Optional.ofNullable(lockFile), lockUpdate, snapshots);
    }
  }
}
