package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.catalog.PostgresDatabase;
import dev.skiff.catalog.RedisServer;
import dev.skiff.engine.runtime.Container;
import dev.skiff.junit.Handle;
import dev.skiff.junit.Image;
import dev.skiff.junit.Redis;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers that talk to each other: a Redis replica follows the primary over the network {@code cache}, where the
 * primary is reachable as {@code cache-primary}; only the test reaches them through published ports. The replica is
 * handed over once its first sync with the primary finished.
 */
@ShopDatabase
@Redis(name = "primary", networks = "cache", aliases = "cache-primary")
@Image(value = "redis:7.0", name = "replica", networks = "cache", ports = 6379,
    command = {"redis-server", "--replicaof", "cache-primary", "6379"},
    waitFor = "log:MASTER <-> REPLICA sync: Finished with success")
class ReplicatedCacheTest {
  private ProductRepository repository;
  private RedisClient primary;
  private RedisClient replica;
  private CachedProducts products;

  @BeforeEach
  void connect(PostgresDatabase db, @Handle("primary") RedisServer primaryServer,
      @Handle("replica") Container replicaServer) throws Exception {
    repository = new ProductRepository(db.jdbcUrl(), db.username(), db.password());
    primary = new RedisClient(URI.create(primaryServer.redisUri()));
    replica = new RedisClient(URI.create("redis://" + replicaServer.host() + ":" + replicaServer.mappedPort(6379)));
    products = new CachedProducts(repository, primary, Duration.ofMinutes(5));
  }

  @AfterEach
  void disconnect() throws Exception {
    primary.close();
    replica.close();
  }

  @Test
  void theReplicaServesWhatThePrimaryCached() throws Exception {
    long id = ProductIds.next();
    repository.add(new Product(id, "Paddle leash", 1_800));
    products.find(id);

    // WAIT: until the replica has the write (or 5 s pass); then it holds the same entry
    assertThat(primary.command("WAIT", "1", "5000")).isEqualTo("1");
    assertThat(replica.command("GET", "product:" + id)).isEqualTo("1800\tPaddle leash");

    products.changePrice(id, 1_600);
    assertThat(primary.command("WAIT", "1", "5000")).isEqualTo("1");
    assertThat(replica.command("EXISTS", "product:" + id)).as("evicted on the replica too").isEqualTo("0");
  }
}
