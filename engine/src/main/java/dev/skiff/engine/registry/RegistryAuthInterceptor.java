package dev.skiff.engine.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a registry's 401 challenges (Basic, or Bearer through the token service it names) and remembers what worked
 * per registry and scope, so later requests carry the right Authorization without another round trip.
 *
 * <p>Authorization is added per request here, as an application interceptor: OkHttp drops it on a redirect to
 * another host (a blob served from a CDN), which is exactly what must happen.
 */
final class RegistryAuthInterceptor implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryAuthInterceptor.class);

  private final OkHttpClient tokenClient;
  private final CredentialSource credentials;
  private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
  private final Map<String, BearerToken> tokens = new ConcurrentHashMap<>();

  /**
   * @param tokenClient a client without this interceptor, to call token services with
   * @param credentials finds credentials for a registry host ("host:port")
   */
  RegistryAuthInterceptor(
      OkHttpClient tokenClient, CredentialSource credentials) {
    this.tokenClient = tokenClient;
    this.credentials = credentials;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    String host = hostOf(request.url());
    RepositoryScope scope = request.tag(RepositoryScope.class);
    String known = knownAuthorization(host, scope);
    Response response = chain.proceed(known == null ? request : withAuth(request, known));
    if (response.code() != 401) {
      return response;
    }
    AuthChallenge challenge = pick(AuthChallenge.parse(response.headers("WWW-Authenticate")));
    if (challenge == null) {
      return response;
    }
    challenges.put(host, challenge);
    String fresh;
    try {
      fresh = authorize(host, challenge, scope);
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
    if (fresh == null || fresh.equals(known)) {
      return response; // nothing new to try: the caller reports the 401
    }
    response.close();
    return chain.proceed(withAuth(request, fresh));
  }

  private static Request withAuth(Request request, String authorization) {
    return request.newBuilder().header("Authorization", authorization).build();
  }

  /** Bearer when offered, since a registry that offers it may not accept Basic on the API. */
  private static AuthChallenge pick(List<AuthChallenge> offered) {
    AuthChallenge basic = null;
    for (AuthChallenge c : offered) {
      if (c.scheme().equalsIgnoreCase("bearer") && c.realm().isPresent()) {
        return c;
      }
      if (c.scheme().equalsIgnoreCase("basic")) {
        basic = c;
      }
    }
    return basic;
  }

  private String knownAuthorization(String host, RepositoryScope scope) throws IOException {
    AuthChallenge challenge = challenges.get(host);
    if (challenge == null) {
      return null;
    }
    if (challenge.scheme().equalsIgnoreCase("basic")) {
      return credentials.find(host).map(RegistryAuthInterceptor::basic).orElse(null);
    }
    BearerToken token = tokens.get(tokenKey(host, challenge, scope));
    return token != null && !token.isExpired(Instant.now()) ? "Bearer " + token.token() : null;
  }

  private String authorize(String host, AuthChallenge challenge, RepositoryScope scope) throws IOException {
    Optional<Credentials> found = credentials.find(host);
    if (challenge.scheme().equalsIgnoreCase("basic")) {
      return found.map(RegistryAuthInterceptor::basic).orElse(null);
    }
    String wanted = scopeFor(challenge, scope);
    BearerToken token = fetchToken(challenge, wanted, found, host);
    tokens.put(tokenKey(host, challenge, scope), token);
    return "Bearer " + token.token();
  }

  private BearerToken fetchToken(
      AuthChallenge challenge, String scope, Optional<Credentials> found, String host)
      throws IOException {
    String realmText = challenge.realm().orElse("");
    HttpUrl realm = HttpUrl.parse(realmText);
    if (realm == null) {
      throw new RegistryException("The registry " + host + " named an invalid token service '" + realmText
          + "' in its WWW-Authenticate header; the registry is misconfigured.", 401);
    }
    Optional<String> service = challenge.service();
    HttpUrl.Builder url = realm.newBuilder();
    service.ifPresent(s -> url.addQueryParameter("service", s));
    if (scope != null) {
      url.addQueryParameter("scope", scope);
    }
    Request.Builder request = new Request.Builder().url(url.build());
    if (found.isPresent() && found.get() instanceof Credentials.IdentityToken identity) {
      // An identity token is exchanged by the OAuth2 refresh-token grant.
      okhttp3.FormBody.Builder form = new okhttp3.FormBody.Builder()
          .add("grant_type", "refresh_token")
          .add("refresh_token", identity.token())
          .add("client_id", "skiff");
      service.ifPresent(s -> form.add("service", s));
      if (scope != null) {
        form.add("scope", scope);
      }
      request = new Request.Builder().url(realm).post(form.build());
    } else if (found.isPresent() && found.get() instanceof Credentials.UsernamePassword) {
      request.header("Authorization", basic(found.get()));
    }
    LOG.debug("Requesting a token from {} for scope {}", realm.host(), scope);
    try (Response response = tokenClient.newCall(request.build()).execute()) {
      if (!response.isSuccessful()) {
        throw RegistryErrors.from(response, "a token for " + (scope == null ? host : scope) + " from " + realm,
            host, found.isPresent());
      }
      return BearerToken.parse(response.body().string(), realm.toString(), Instant.now());
    }
  }

  /** Basic authorization from a username and password; an identity token has no Basic form. */
  private static String basic(Credentials c) {
    return c instanceof Credentials.UsernamePassword up
        ? okhttp3.Credentials.basic(up.username(), up.password(), StandardCharsets.UTF_8)
        : null;
  }

  /** The challenge's own scope when it names one, else pull access to the requested repository. */
  private static String scopeFor(AuthChallenge challenge, RepositoryScope scope) {
    return challenge.scope().orElse(scope == null ? null : scope.pullScope());
  }

  /** Tokens are kept per registry and repository: the last challenge's scope may name another repository. */
  private static String tokenKey(String host, AuthChallenge challenge, RepositoryScope scope) {
    return host + " " + (scope != null ? scope.pullScope() : challenge.scope().orElse(""));
  }

  static String hostOf(HttpUrl url) {
    boolean defaultPort = url.port() == HttpUrl.defaultPort(url.scheme());
    return defaultPort ? url.host() : url.host() + ":" + url.port();
  }
}
