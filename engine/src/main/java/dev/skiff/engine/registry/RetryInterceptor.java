package dev.skiff.engine.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries reads that failed for reasons that pass: 5xx, 429 and dropped connections, with exponential backoff and
 * Retry-After honoured. Refused connections, unknown hosts and answers already judged final (a refused token
 * request) are not retried: waiting changes none of them.
 */
final class RetryInterceptor implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);
  private static final Duration MAX_WAIT = Duration.ofSeconds(10);

  private final int maxAttempts;
  private final Duration firstBackoff;

  RetryInterceptor(int maxAttempts, Duration firstBackoff) {
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    boolean idempotent = request.method().equals("GET") || request.method().equals("HEAD");
    for (int attempt = 1; ; attempt++) {
      boolean last = !idempotent || attempt >= maxAttempts;
      Response response;
      try {
        response = chain.proceed(request);
      } catch (ConnectException | UnknownHostException | RegistryException e) {
        throw e; // a registry's definite answer, or nothing there to wait for
      } catch (IOException e) {
        if (last || chain.call().isCanceled()) {
          throw e;
        }
        LOG.debug("{} {} failed ({}); attempt {} of {}", request.method(), request.url(), e, attempt, maxAttempts);
        sleep(backoff(attempt, null));
        continue;
      }
      int code = response.code();
      if (last || (code < 500 && code != 429)) {
        return response;
      }
      LOG.debug("{} {} answered {}; attempt {} of {}", request.method(), request.url(), code, attempt, maxAttempts);
      Duration wait = backoff(attempt, response.header("Retry-After"));
      response.close();
      sleep(wait);
    }
  }

  private Duration backoff(int attempt, String retryAfter) {
    if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
      return min(Duration.ofSeconds(Long.parseLong(retryAfter)), MAX_WAIT);
    }
    return min(firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 10)), MAX_WAIT);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting to retry a registry request");
    }
  }
}
