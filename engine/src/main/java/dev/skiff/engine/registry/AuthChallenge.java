package dev.skiff.engine.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One challenge from a {@code WWW-Authenticate} header (RFC 7235), such as
 * {@code Bearer realm="https://auth.example.com/token",service="registry.example.com"}.
 *
 * <p>Parsing is lenient: registries differ in quoting and spacing, and a malformed part only loses that part.
 */
final class AuthChallenge {
  private static final Logger log = LoggerFactory.getLogger(AuthChallenge.class);

  private final String scheme;
  private final Map<String, String> params;

  private AuthChallenge(String scheme, Map<String, String> params) {
    this.scheme = scheme;
    this.params = Map.copyOf(params);
  }

  /**
   * Parses the values of every {@code WWW-Authenticate} header of a response, in order; one value may hold several
   * challenges. Never throws: what cannot be parsed is skipped and logged at DEBUG.
   */
  static List<AuthChallenge> parse(List<String> headerValues) {
    List<AuthChallenge> challenges = new ArrayList<>();
    for (String value : headerValues) {
      if (value != null) {
        new Reader(value).readInto(challenges);
      }
    }
    return List.copyOf(challenges);
  }

  /** The scheme in lower case, since schemes are case-insensitive: {@code bearer}, {@code basic}, ... */
  String scheme() {
    return scheme;
  }

  /** For Bearer, the token endpoint URL; for Basic, the protection space's name. */
  Optional<String> realm() {
    return param("realm");
  }

  /** The {@code service} parameter to pass to a Bearer token endpoint. */
  Optional<String> service() {
    return param("service");
  }

  /** The {@code scope} the registry asks for, e.g. {@code repository:library/redis:pull}. */
  Optional<String> scope() {
    return param("scope");
  }

  /** Any parameter, by case-insensitive name. */
  Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  @Override
  public String toString() {
    return scheme + " " + params;
  }

  /** Reads challenges from one header value: {@code scheme [token68 | name=value, ...], scheme ...}. */
  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    void readInto(List<AuthChallenge> out) {
      String scheme = null;
      Map<String, String> params = new LinkedHashMap<>();
      boolean justAfterScheme = false; // the only place a token68 (e.g. Basic's base64) may appear
      while (true) {
        skipWhitespace();
        if (pos >= text.length()) {
          break;
        }
        if (text.charAt(pos) == ',') {
          pos++;
          justAfterScheme = false;
          continue;
        }
        String token = token();
        if (token.isEmpty()) {
          log.debug("Skipping unexpected '{}' at {} in WWW-Authenticate '{}'", text.charAt(pos), pos, text);
          skipPastComma();
          justAfterScheme = false;
          continue;
        }
        skipWhitespace();
        if (isParameterValueNext()) {
          pos++; // '='
          skipWhitespace();
          String value = text.charAt(pos) == '"' ? quotedString() : unquotedValue();
          if (value == null) {
            log.debug("Unterminated quoted string for '{}' in WWW-Authenticate '{}'", token, text);
            break;
          }
          if (scheme == null) {
            log.debug("Ignoring parameter '{}' before any scheme in WWW-Authenticate '{}'", token, text);
          } else if (params.putIfAbsent(token.toLowerCase(Locale.ROOT), value) != null) {
            log.debug("Ignoring repeated parameter '{}' in WWW-Authenticate '{}'", token, text);
          }
          justAfterScheme = false;
        } else if (justAfterScheme || pos < text.length() && text.charAt(pos) == '=') {
          while (pos < text.length() && text.charAt(pos) == '=') {
            pos++;
          }
          log.debug("Ignoring token68 credentials '{}' in WWW-Authenticate '{}'", token, text);
          justAfterScheme = false;
        } else {
          if (scheme != null) {
            out.add(new AuthChallenge(scheme, params));
          }
          scheme = token.toLowerCase(Locale.ROOT);
          params = new LinkedHashMap<>();
          justAfterScheme = true;
        }
      }
      if (scheme != null) {
        out.add(new AuthChallenge(scheme, params));
      }
    }

    /** At '=' followed by a value, rather than by more '=' padding or nothing, as a token68 would be. */
    private boolean isParameterValueNext() {
      if (pos >= text.length() || text.charAt(pos) != '=') {
        return false;
      }
      int next = pos + 1;
      while (next < text.length() && isWhitespace(text.charAt(next))) {
        next++;
      }
      return next < text.length() && text.charAt(next) != '=' && text.charAt(next) != ',';
    }

    /** An RFC 7230 token, also allowing '/' so that token68 values are read whole. */
    private String token() {
      int start = pos;
      while (pos < text.length() && isTokenChar(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** A quoted string with backslash escapes, or null if it never closes. */
    private String quotedString() {
      StringBuilder value = new StringBuilder();
      pos++; // opening quote
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && pos < text.length()) {
          c = text.charAt(pos++);
        }
        value.append(c);
      }
      return null;
    }

    /** An unquoted value; read up to a comma or space so that bare URLs survive. */
    private String unquotedValue() {
      int start = pos;
      while (pos < text.length() && text.charAt(pos) != ',' && !isWhitespace(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private void skipWhitespace() {
      while (pos < text.length() && isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private void skipPastComma() {
      int comma = text.indexOf(',', pos);
      pos = comma < 0 ? text.length() : comma + 1;
    }

    private static boolean isWhitespace(char c) {
      return c == ' ' || c == '\t';
    }

    private static boolean isTokenChar(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~/".indexOf(c) >= 0;
    }
  }
}
