package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.catalog.PostgresDatabase;
import dev.skiff.catalog.RedisImage;
import dev.skiff.catalog.RedisServer;
import dev.skiff.junit.SkiffContainer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fields style for the cache (a static {@link SkiffContainer} field: one Redis for this class), next to the suite's
 * shared database from {@link ShopDatabase}: the same PostgreSQL container {@link ProductRepositoryTest} uses.
 */
@ShopDatabase
class CachedProductsTest {
  @SkiffContainer
  static RedisImage cache = RedisImage.version("7.0").withPassword("s3cret");

  private ProductRepository repository;
  private RedisClient redis;
  private CachedProducts products;

  @BeforeEach
  void connect(PostgresDatabase db, RedisServer cache) throws Exception {
    repository = new ProductRepository(db.jdbcUrl(), db.username(), db.password());
    redis = new RedisClient(URI.create(cache.redisUri()));
    products = new CachedProducts(repository, redis, Duration.ofMinutes(5));
  }

  @AfterEach
  void disconnect() throws Exception {
    redis.close();
  }

  @Test
  void aCachedProductIsServedWithoutTheDatabase() throws Exception {
    long id = ProductIds.next();
    repository.add(new Product(id, "Spray skirt", 6_000));
    assertThat(products.find(id)).map(Product::priceCents).contains(6_000);

    repository.changePrice(id, 5_000); // behind the cache's back

    assertThat(products.find(id)).map(Product::priceCents).contains(6_000);
    assertThat(redis.command("PTTL", "product:" + id)).satisfies(ttl -> assertThat(Long.parseLong(ttl))
        .isBetween(1L, Duration.ofMinutes(5).toMillis()));
  }

  @Test
  void aPriceChangeEvictsTheCachedProduct() throws Exception {
    long id = ProductIds.next();
    repository.add(new Product(id, "Bilge pump", 2_500));
    assertThat(products.find(id)).isPresent();

    assertThat(products.changePrice(id, 2_200)).isTrue();

    assertThat(redis.command("EXISTS", "product:" + id)).isEqualTo("0");
    assertThat(products.find(id)).map(Product::priceCents).contains(2_200);
  }
}
