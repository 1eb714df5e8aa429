package dev.skiff.engine.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A Docker credential helper program, {@code docker-credential-<name>}, asked for one registry's credentials with
 * {@code get} (the server URL on stdin, {@code {"Username":..,"Secret":..}} on stdout).
 */
final class CredentialHelper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final String TOKEN_USERNAME = "<token>"; // the helper protocol's marker for an identity token
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String program;
  private final Path executable;
  private final Map<String, String> environment;

  private CredentialHelper(String program, Path executable, Map<String, String> environment) {
    this.program = program;
    this.executable = executable;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Finds {@code docker-credential-<name>} in the {@code PATH} of {@code environment}, which the helper also runs with.
   *
   * @param configuredBy what asked for the helper, e.g. {@code credsStore in /home/me/.docker/config.json}
   * @throws IOException naming the helper and {@code configuredBy} if it is not on the PATH
   */
  static CredentialHelper find(String name, Map<String, String> environment, String configuredBy) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IOException("Invalid Docker credential helper name '" + name + "' in " + configuredBy
          + ": a helper name is a plain word such as 'desktop' or 'ecr-login'; fix the config");
    }
    String program = "docker-credential-" + name;
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return new CredentialHelper(program, candidate, environment);
      }
    }
    throw new IOException("Docker credential helper '" + program + "' is not on the PATH (" + path + "), but "
        + configuredBy + " asks for it: install it, or remove that entry from the config");
  }

  /**
   * Asks the helper for the credentials it holds for {@code serverUrl}.
   *
   * @return empty if the helper has none for that server
   * @throws IOException if the helper fails, hangs, or answers something other than its JSON
   */
  Optional<Credentials> get(String serverUrl) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(executable.toString(), "get");
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      CompletableFuture<String> stdout = readAllAsync(process.getInputStream());
      CompletableFuture<String> stderr = readAllAsync(process.getErrorStream());
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(serverUrl.getBytes(UTF_8));
      } catch (IOException e) {
        // The helper may exit without reading stdin; its exit status and output tell what happened.
      }
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException(program + " get did not answer for '" + serverUrl + "' within " + TIMEOUT.toSeconds()
            + " s: " + howToTry(serverUrl));
      }
      String out = stdout.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      String err = stderr.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (process.exitValue() != 0) {
        if ((out + err).toLowerCase(Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new IOException(program + " get failed for '" + serverUrl + "' with exit status " + process.exitValue()
            + ": " + (out + err).strip() + ": " + howToTry(serverUrl));
      }
      return parse(out, serverUrl);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while running " + program + " for '" + serverUrl + "'");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("Could not read the output of " + program + " for '" + serverUrl + "'", e);
    } finally {
      process.destroyForcibly();
    }
  }

  private String howToTry(String serverUrl) {
    return "check that it works with: echo " + serverUrl + " | " + executable + " get";
  }

  private Optional<Credentials> parse(String output, String serverUrl) throws IOException {
    JsonNode answer;
    try {
      answer = JSON.readTree(output);
    } catch (JsonProcessingException e) {
      throw new IOException(program + " get answered '" + serverUrl + "' with invalid JSON (" + e.getOriginalMessage()
          + "): expected {\"Username\": ..., \"Secret\": ...}", e);
    }
    String username = answer.path("Username").asText("");
    String secret = answer.path("Secret").asText("");
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(username.equals(TOKEN_USERNAME)
        ? new Credentials.IdentityToken(secret)
        : new Credentials.UsernamePassword(username, secret));
  }

  private CompletableFuture<String> readAllAsync(InputStream stream) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (stream) {
        result.complete(new String(stream.readAllBytes(), UTF_8));
      } catch (IOException e) {
        result.completeExceptionally(e);
      }
    }, program + "-output");
    reader.setDaemon(true);
    reader.start();
    return result;
  }

  @Override
  public String toString() {
    return executable.toString();
  }
}
