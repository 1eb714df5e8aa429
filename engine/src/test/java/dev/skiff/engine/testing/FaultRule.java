package dev.skiff.engine.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One fault for the requests that {@link FaultInjectingProxy#on} matches: first say how many ({@link #times},
 * {@link #always}; default the next one), then pick the fault, which arms the rule.
 */
public final class FaultRule {
  enum Kind { STATUS, CUT_AFTER, CORRUPT, STALL, STALL_BEFORE_HEADERS, DELAY }

  private static final int ALWAYS = -1;

  private final Predicate<Request> match;
  private final Consumer<FaultRule> arm;
  private final AtomicInteger remaining = new AtomicInteger(1);
  private final AtomicInteger applied = new AtomicInteger();
  private volatile Kind kind;
  private volatile long amount;

  FaultRule(Predicate<Request> match, Consumer<FaultRule> arm) {
    this.match = match;
    this.arm = arm;
  }

  /** Applies the fault to the next {@code n} matching requests, then lets them through. */
  public FaultRule times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times(" + n + "): a rule must apply to at least one request");
    }
    return count(n);
  }

  /** Applies the fault to every matching request. */
  public FaultRule always() {
    return count(ALWAYS);
  }

  /** Answers with this status and a short text body instead of forwarding. */
  public FaultRule status(int code) {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("status(" + code + "): only final statuses 200-599 can be injected");
    }
    return arm(Kind.STATUS, code);
  }

  /** Forwards, sends the headers and the first {@code bytes} body bytes, then closes the client connection. */
  public FaultRule cutAfter(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("cutAfter(" + bytes + "): the byte count cannot be negative");
    }
    return arm(Kind.CUT_AFTER, bytes);
  }

  /** Forwards, but flips every bit of the body's middle byte; length and headers stay the same. */
  public FaultRule corrupt() {
    return arm(Kind.CORRUPT, 0);
  }

  /** Forwards and sends the response headers, then nothing more until the proxy is closed. */
  public FaultRule stall() {
    return arm(Kind.STALL, 0);
  }

  /** Sends nothing at all (the request is not forwarded) until the proxy is closed. */
  public FaultRule stallBeforeHeaders() {
    return arm(Kind.STALL_BEFORE_HEADERS, 0);
  }

  /** Waits this long, then forwards normally. */
  public FaultRule delay(Duration delay) {
    return arm(Kind.DELAY, delay.toMillis());
  }

  /** How many requests this rule has hit so far. */
  public int applied() {
    return applied.get();
  }

  /** Claims one application of this rule for {@code request}; false if it does not match or is used up. */
  boolean claim(Request request) {
    if (kind == null || !match.test(request)) {
      return false;
    }
    int left;
    do {
      left = remaining.get();
      if (left == 0) {
        return false;
      }
    } while (left != ALWAYS && !remaining.compareAndSet(left, left - 1));
    applied.incrementAndGet();
    return true;
  }

  Kind kind() {
    return kind;
  }

  /** The status code, byte count or delay in milliseconds, by kind. */
  long amount() {
    return amount;
  }

  @Override
  public String toString() {
    if (kind == null) {
      return "unarmed rule";
    }
    String what = switch (kind) {
      case STATUS -> "status(" + amount + ")";
      case CUT_AFTER -> "cutAfter(" + amount + ")";
      case CORRUPT -> "corrupt()";
      case STALL -> "stall()";
      case STALL_BEFORE_HEADERS -> "stallBeforeHeaders()";
      case DELAY -> "delay(" + amount + "ms)";
    };
    int left = remaining.get();
    return what + " #" + applied() + (left == ALWAYS ? " (always)" : " of " + (applied() + left));
  }

  private FaultRule count(int n) {
    if (kind != null) {
      throw new IllegalStateException("Call times()/always() before choosing the fault; " + this + " is armed");
    }
    remaining.set(n);
    return this;
  }

  private FaultRule arm(Kind kind, long amount) {
    if (this.kind != null) {
      throw new IllegalStateException("A rule carries one fault and already has " + this + "; call on() again");
    }
    this.amount = amount;
    this.kind = kind;
    arm.accept(this);
    return this;
  }
}
