package dev.skiff.engine.runtime;

import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Logs a container's output lines at INFO, e.g.
 * {@code container.logs().follow(new Slf4jLogConsumer(LoggerFactory.getLogger("redis")))}.
 */
public final class Slf4jLogConsumer implements Consumer<String> {
  private final Logger logger;
  private final String prefix;

  public Slf4jLogConsumer(Logger logger) {
    this(logger, "");
  }

  /** Starts every line with {@code prefix}, e.g. the container's name. */
  public Slf4jLogConsumer(Logger logger, String prefix) {
    this.logger = logger;
    this.prefix = prefix;
  }

  @Override
  public void accept(String line) {
    logger.info("{}{}", prefix, line);
  }
}
