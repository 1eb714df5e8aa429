package dev.skiff.engine.registry;

import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.Descriptor;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Talks the OCI distribution API to one or more registries: manifests by tag or digest, blobs as verified bytes or
 * as resumable streams. Authentication, retries and resumption happen inside; callers see content or a
 * {@link RegistryException} that says what to do.
 *
 * <p>Registries on loopback addresses, and those named as insecure, are spoken to in plain HTTP; every other one in
 * HTTPS only.
 */
public final class RegistryClient {
  /** Manifests and configs are small; anything larger is refused rather than buffered. */
  private static final long MAX_DOCUMENT_BYTES = 8L * 1024 * 1024;

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final CredentialSource credentials;
  private final Duration firstBackoff;
  /** Made on first use: building it loads the TLS trust store, which a JVM running only stored images never needs. */
  private volatile OkHttpClient http;
  private final Set<String> insecureRegistries;
  private final int maxAttempts;

  private RegistryClient(Builder b) {
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.credentials = b.credentials;
    this.firstBackoff = b.firstBackoff;
    this.insecureRegistries = Set.copyOf(b.insecureRegistries);
    this.maxAttempts = b.maxAttempts;
  }

  private OkHttpClient http() {
    OkHttpClient client = http;
    if (client == null) {
      synchronized (this) {
        client = http;
        if (client == null) {
          OkHttpClient base = new OkHttpClient.Builder()
              .connectTimeout(connectTimeout)
              .readTimeout(readTimeout)
              .connectionPool(new ConnectionPool(16, 1, java.util.concurrent.TimeUnit.MINUTES))
              .retryOnConnectionFailure(true)
              .build();
          client = base.newBuilder()
              .addInterceptor(new RetryInterceptor(maxAttempts, firstBackoff))
              .addInterceptor(new RegistryAuthInterceptor(base, credentials))
              .addNetworkInterceptor(chain -> chain.proceed(
                  chain.request().newBuilder().header("User-Agent", "skiff/0.1").build()))
              .build();
          http = client;
        }
      }
    }
    return client;
  }

  /** A builder with defaults: credentials from the Docker config, 10 s connect, 30 s read timeout, 4 attempts. */
  public static Builder builder() {
    return new Builder();
  }

  /** A manifest or index as served, with the digest of its bytes. */
  public record ManifestResponse(byte[] body, String contentType, Digest digest) {}

  /**
   * Fetches the manifest for {@code image}'s tag or digest. When fetched by digest, or when the registry sends
   * Docker-Content-Digest, the bytes are verified against it.
   */
  public ManifestResponse fetchManifest(ImageReference image) throws IOException {
    String reference = image.digest().map(Digest::toString).orElse(image.reference());
    String what = "the manifest of " + image;
    Request request = request(image, "manifests/" + reference)
        .header("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT))
        .build();
    try (Response response = execute(request, what, image)) {
      byte[] body = boundedBytes(response, what);
      Digest actual = Digest.sha256Of(body);
      Optional<Digest> expected = image.digest();
      String header = response.header("Docker-Content-Digest");
      if (expected.isEmpty() && header != null && header.startsWith("sha256:")) {
        expected = Optional.of(Digest.parse(header));
      }
      if (expected.isPresent() && !expected.get().equals(actual)) {
        throw new RegistryException(what + ": the content's digest is " + actual + " but " + expected.get()
            + " was expected; the registry or a proxy served altered content. Nothing was stored.", response.code());
      }
      return new ManifestResponse(body, response.header("Content-Type", ""), actual);
    }
  }

  /** Fetches a manifest of {@code repository} by digest (an index entry). */
  public ManifestResponse fetchManifest(ImageReference repository, Digest digest) throws IOException {
    return fetchManifest(repository.withDigest(digest));
  }

  /** Fetches a small blob (an image config) and verifies its digest and size. */
  public byte[] fetchBlob(ImageReference repository, Descriptor descriptor) throws IOException {
    String what = "blob " + descriptor.digest() + " of " + repository;
    if (descriptor.size() > MAX_DOCUMENT_BYTES) {
      throw new RegistryException(what + ": " + descriptor.size() + " bytes is too large for a config blob", 0);
    }
    try (InputStream in = openBlob(repository, descriptor)) {
      byte[] body = in.readAllBytes();
      Digest actual = Digest.sha256Of(body);
      if (!actual.equals(descriptor.digest())) {
        throw new RegistryException(what + ": the content's digest is " + actual + "; the registry or a proxy"
            + " served altered content. Nothing was stored.", 0);
      }
      return body;
    }
  }

  /**
   * Opens a blob as a stream of exactly {@code descriptor.size()} bytes that resumes by Range after a dropped
   * connection or a stall. The caller verifies the digest of what it reads.
   */
  public InputStream openBlob(ImageReference repository, Descriptor descriptor) throws IOException {
    String what = "blob " + descriptor.digest().shortHex() + " of " + repository;
    return new ResumableBlobStream(offset -> openBlobAt(repository, descriptor, offset, what),
        descriptor.size(), what, maxAttempts);
  }

  private InputStream openBlobAt(ImageReference repository, Descriptor descriptor, long offset, String what)
      throws IOException {
    Request.Builder request = request(repository, "blobs/" + descriptor.digest());
    if (offset > 0) {
      request.header("Range", "bytes=" + offset + "-");
    }
    Response response = execute(request.build(), what, repository);
    ResponseBody body = response.body();
    InputStream in = body.byteStream();
    if (offset > 0 && response.code() == 200) {
      // The registry ignored Range: skip what we already have.
      in.skipNBytes(offset);
    } else if (offset > 0 && response.code() != 206) {
      response.close();
      throw new RegistryException(what + ": resuming at byte " + offset + " got HTTP " + response.code(),
          response.code());
    }
    return in;
  }

  /** Checks that {@code registry} ("host[:port]") answers the API, authenticating if it asks. */
  public void ping(String registry) throws IOException {
    Request request = new Request.Builder().url(baseUrl(registry).newBuilder().addPathSegment("").build()).build();
    try (Response response = execute(request, "the API root of " + registry, null)) {
      // reaching here means 200 (or 2xx)
    }
  }

  private Request.Builder request(ImageReference image, String path) {
    HttpUrl url = baseUrl(image.apiHost()).newBuilder()
        .addPathSegments(image.repository())
        .addPathSegments(path)
        .build();
    return new Request.Builder().url(url).tag(RepositoryScope.class, new RepositoryScope(image.repository()));
  }

  private Response execute(Request request, String what, ImageReference image) throws IOException {
    String host = RegistryAuthInterceptor.hostOf(request.url());
    Response response;
    try {
      response = http().newCall(request).execute();
    } catch (ConnectException e) {
      throw new RegistryException("Cannot fetch " + what + ": cannot connect to the registry at " + request.url().host()
          + ":" + request.url().port() + " (" + e.getMessage() + "). Is the registry running and the address right?"
          + " Behind a proxy, configure a mirror (skiff.registry.mirrors).", e);
    } catch (UnknownHostException e) {
      throw new RegistryException("Cannot fetch " + what + ": the registry host '" + request.url().host()
          + "' is unknown (DNS). Check the image name, or configure a mirror (skiff.registry.mirrors).", e);
    } catch (SocketTimeoutException e) {
      throw new RegistryException("Cannot fetch " + what + ": the registry at " + host + " did not answer in time ("
          + e.getMessage() + "). Check the registry, or raise skiff.timeout.read / skiff.timeout.connect.", e);
    }
    if (!response.isSuccessful()) {
      try (response) {
        throw RegistryErrors.from(response, what, host, response.request().header("Authorization") != null);
      }
    }
    return response;
  }

  private static byte[] boundedBytes(Response response, String what) throws IOException {
    ResponseBody body = response.body();
    if (body.contentLength() > MAX_DOCUMENT_BYTES) {
      throw new RegistryException(what + ": " + body.contentLength() + " bytes is too large for a manifest", 0);
    }
    return body.bytes();
  }

  HttpUrl baseUrl(String registry) {
    String scheme = isPlainHttp(registry) ? "http" : "https";
    HttpUrl url = HttpUrl.parse(scheme + "://" + registry + "/v2/");
    if (url == null) {
      throw new IllegalArgumentException("Invalid registry address '" + registry + "'");
    }
    return url;
  }

  private boolean isPlainHttp(String registry) {
    if (insecureRegistries.contains(registry)) {
      return true;
    }
    String host = registry.startsWith("[") ? registry.substring(1, registry.indexOf(']'))
        : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
    return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
  }

  /** Configures a {@link RegistryClient}. */
  public static final class Builder {
    private CredentialSource credentials = CredentialSource.dockerConfig();
    private Set<String> insecureRegistries = Set.of();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration firstBackoff = Duration.ofMillis(200);
    private int maxAttempts = 4;

    private Builder() {}

    /** Where credentials for a registry host come from; by default Docker's config files and helpers. */
    public Builder credentials(CredentialSource credentials) {
      this.credentials = Objects.requireNonNull(credentials);
      return this;
    }

    /** Registries (host:port) to reach over plain HTTP although not on loopback. */
    public Builder insecureRegistries(Set<String> registries) {
      this.insecureRegistries = Set.copyOf(registries);
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** How long a read may wait for data before the request is retried or resumed. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    /** Attempts per request (and resumptions per blob) before giving up; at least 1. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, not " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The wait before the first retry; it doubles each time, up to 10 s. */
    public Builder firstBackoff(Duration backoff) {
      this.firstBackoff = backoff;
      return this;
    }

    public RegistryClient build() {
      return new RegistryClient(this);
    }
  }
}
