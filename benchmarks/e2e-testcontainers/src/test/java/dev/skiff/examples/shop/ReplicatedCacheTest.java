package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * Containers that talk to each other: a Redis replica follows the primary over a network of this class, where the
 * primary is reachable as {@code cache-primary}; only the test reaches them through mapped ports. The replica counts
 * as started once its first sync with the primary finished.
 */
@Testcontainers
class ReplicatedCacheTest extends ShopDatabase {
  static final Network CACHE = Network.newNetwork();

  @Container
  static GenericContainer<?> primary = new GenericContainer<>(DockerImageName.parse("redis:7.0"))
      .withNetwork(CACHE)
      .withNetworkAliases("cache-primary")
      .withExposedPorts(6379);

  @Container
  static GenericContainer<?> replica = new GenericContainer<>(DockerImageName.parse("redis:7.0"))
      .withNetwork(CACHE)
      .withCommand("redis-server", "--replicaof", "cache-primary", "6379")
      .withExposedPorts(6379)
      .dependsOn(primary)
      .waitingFor(Wait.forLogMessage(".*MASTER <-> REPLICA sync: Finished with success.*", 1));

  private ProductRepository repository;
  private RedisClient primaryClient;
  private RedisClient replicaClient;
  private CachedProducts products;

  @BeforeEach
  void connect() throws Exception {
    repository = new ProductRepository(SHOP_DB.getJdbcUrl(), SHOP_DB.getUsername(), SHOP_DB.getPassword());
    primaryClient = new RedisClient(URI.create("redis://" + primary.getHost() + ":" + primary.getMappedPort(6379)));
    replicaClient = new RedisClient(URI.create("redis://" + replica.getHost() + ":" + replica.getMappedPort(6379)));
    products = new CachedProducts(repository, primaryClient, Duration.ofMinutes(5));
  }

  @AfterEach
  void disconnect() throws Exception {
    primaryClient.close();
    replicaClient.close();
  }

  @Test
  void theReplicaServesWhatThePrimaryCached() throws Exception {
    long id = nextProductId();
    repository.add(new Product(id, "Paddle leash", 1_800));
    products.find(id);

    // WAIT: until the replica has the write (or 5 s pass); then it holds the same entry
    assertThat(primaryClient.command("WAIT", "1", "5000")).isEqualTo("1");
    assertThat(replicaClient.command("GET", "product:" + id)).isEqualTo("1800\tPaddle leash");

    products.changePrice(id, 1_600);
    assertThat(primaryClient.command("WAIT", "1", "5000")).isEqualTo("1");
    assertThat(replicaClient.command("EXISTS", "product:" + id)).as("evicted on the replica too").isEqualTo("0");
  }
}
