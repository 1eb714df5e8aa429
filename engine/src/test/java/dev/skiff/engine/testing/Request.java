package dev.skiff.engine.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** One request as the {@link FaultInjectingProxy} received it from the client, before any fault. Immutable. */
public final class Request {
  private static final Pattern BLOB = Pattern.compile("/v2/.+/blobs/[^/]+:[^/]+");
  private static final Pattern MANIFEST = Pattern.compile("/v2/.+/manifests/[^/]+");

  private final HttpHead head;
  private final int connection;

  Request(HttpHead head, int connection) {
    this.head = head;
    this.connection = connection;
  }

  /** Matches requests whose {@link #path()} matches {@code regex} in full. */
  public static Predicate<Request> pathMatches(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return r -> pattern.matcher(r.path()).matches();
  }

  /** Whether this fetches a blob by digest ({@code /v2/<name>/blobs/<digest>}); blob uploads are not. */
  public boolean isBlob() {
    return BLOB.matcher(path()).matches();
  }

  /** Whether this addresses a manifest ({@code /v2/<name>/manifests/<tag-or-digest>}). */
  public boolean isManifest() {
    return MANIFEST.matcher(path()).matches();
  }

  /** {@code GET}, {@code HEAD}, ... */
  public String method() {
    return head.part(0);
  }

  /** The request target as sent, query included. */
  public String target() {
    return head.part(1);
  }

  /** The target without its query. */
  public String path() {
    String target = target();
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  /** The first value of the named header (case-insensitive), e.g. {@code header("Range")}. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(head.first(name));
  }

  /** All headers by name (case-insensitive keys), values in the order received. */
  public Map<String, List<String>> headers() {
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    head.headers().forEach(h -> byName.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
    byName.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(byName);
  }

  /** Which client connection, numbered from 1 in accept order, carried this request; equal numbers mean reuse. */
  public int connection() {
    return connection;
  }

  @Override
  public String toString() {
    return method() + " " + target() + header("Range").map(r -> " (Range: " + r + ")").orElse("");
  }
}
