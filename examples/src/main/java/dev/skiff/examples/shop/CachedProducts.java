package dev.skiff.examples.shop;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Products read through a Redis cache: a hit skips the database, a miss loads the product and caches it for the
 * time to live. A price change through here evicts the cached copy.
 */
public final class CachedProducts {
  private final ProductRepository repository;
  private final RedisClient redis;
  private final Duration timeToLive;

  public CachedProducts(ProductRepository repository, RedisClient redis, Duration timeToLive) {
    this.repository = repository;
    this.redis = redis;
    this.timeToLive = timeToLive;
  }

  public Optional<Product> find(long id) throws IOException, SQLException {
    String cached = redis.command("GET", key(id));
    if (cached != null) {
      int tab = cached.indexOf('\t');
      return Optional.of(new Product(id, cached.substring(tab + 1), Integer.parseInt(cached.substring(0, tab))));
    }
    Optional<Product> loaded = repository.find(id);
    if (loaded.isPresent()) {
      redis.command("SET", key(id), loaded.get().priceCents() + "\t" + loaded.get().name(),
          "PX", Long.toString(timeToLive.toMillis()));
    }
    return loaded;
  }

  public boolean changePrice(long id, int priceCents) throws IOException, SQLException {
    boolean changed = repository.changePrice(id, priceCents);
    redis.command("DEL", key(id));
    return changed;
  }

  private static String key(long id) {
    return "product:" + id;
  }
}
