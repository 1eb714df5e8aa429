package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/** One Redis for this class (a static {@link Container} field), next to the suite's shared {@link ShopDatabase}. */
@Testcontainers
class CachedProductsTest extends ShopDatabase {
  @Container
  static GenericContainer<?> cache = new GenericContainer<>(DockerImageName.parse("redis:7.0"))
      .withCommand("redis-server", "--requirepass", "s3cret")
      .withExposedPorts(6379);

  private ProductRepository repository;
  private RedisClient redis;
  private CachedProducts products;

  @BeforeEach
  void connect() throws Exception {
    repository = new ProductRepository(SHOP_DB.getJdbcUrl(), SHOP_DB.getUsername(), SHOP_DB.getPassword());
    redis = new RedisClient(URI.create("redis://:s3cret@" + cache.getHost() + ":" + cache.getMappedPort(6379)));
    products = new CachedProducts(repository, redis, Duration.ofMinutes(5));
  }

  @AfterEach
  void disconnect() throws Exception {
    redis.close();
  }

  @Test
  void aCachedProductIsServedWithoutTheDatabase() throws Exception {
    long id = nextProductId();
    repository.add(new Product(id, "Spray skirt", 6_000));
    assertThat(products.find(id)).map(Product::priceCents).contains(6_000);

    repository.changePrice(id, 5_000); // behind the cache's back

    assertThat(products.find(id)).map(Product::priceCents).contains(6_000);
    assertThat(redis.command("PTTL", "product:" + id)).satisfies(ttl -> assertThat(Long.parseLong(ttl))
        .isBetween(1L, Duration.ofMinutes(5).toMillis()));
  }

  @Test
  void aPriceChangeEvictsTheCachedProduct() throws Exception {
    long id = nextProductId();
    repository.add(new Product(id, "Bilge pump", 2_500));
    assertThat(products.find(id)).isPresent();

    assertThat(products.changePrice(id, 2_200)).isTrue();

    assertThat(redis.command("EXISTS", "product:" + id)).isEqualTo("0");
    assertThat(products.find(id)).map(Product::priceCents).contains(2_200);
  }
}
