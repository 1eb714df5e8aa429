package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.catalog.RedisServer;
import dev.skiff.engine.runtime.Container;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

/**
 * Declared containers on named networks reach each other by name and alias; a network lives as long as the
 * longest-lived container declared on it; catalog annotations repeat.
 */
class NetworksIT {
  /** A RESP PING to {@code host}:6379 from inside {@code client}; what comes back. */
  static String ping(Container client, String host) throws Exception {
    return client.exec("sh", "-c", "printf 'PING\\r\\n' | nc -w 2 " + host + " 6379").stdout();
  }

  @Redis(networks = "backend", aliases = "cache")
  @Image(value = "busybox:1.35", name = "client", command = {"sleep", "600"}, networks = "backend")
  static class ByNameAndAlias {
    @Test
    void clientReachesRedis(@Handle("client") Container client, @Handle("redis") Container redis) throws Exception {
      assertThat(ping(client, "cache")).isEqualTo("+PONG\r\n");
      assertThat(ping(client, "redis")).as("by its declared name").isEqualTo("+PONG\r\n");
      assertThat(redis.exec("sh", "-c", "getent hosts client || grep -w client /etc/hosts").stdout())
          .as("and the other way round").contains("client");
    }
  }

  @Test
  void containersOnANetworkReachEachOtherByNameAndAlias() {
    assertPasses(ByNameAndAlias.class, 1);
  }

  @Redis(networks = "backend", aliases = "cache")
  static class PerTestClientsOfAPerClassServer {
    @Test
    @Image(value = "busybox:1.35", name = "client", command = {"sleep", "600"}, networks = "backend")
    void first(@Handle("client") Container client, RedisServer redis) throws Exception {
      assertThat(ping(client, "cache")).isEqualTo("+PONG\r\n");
      Samples.saw("first", "redis", redis.container());
    }

    @Test
    @Image(value = "busybox:1.35", name = "client", command = {"sleep", "600"}, networks = "backend")
    void second(@Handle("client") Container client, RedisServer redis) throws Exception {
      assertThat(ping(client, "cache")).isEqualTo("+PONG\r\n");
      Samples.saw("second", "redis", redis.container());
    }

    @Test
    void withoutTheNetworkNothingIsReachable(RedisServer redis) throws Exception {
      assertThat(redis.container().exec("sh", "-c", "getent hosts client; grep -c client /etc/hosts").stdout())
          .as("no per-test client of another test is on the network now").isEqualTo("0\n");
    }
  }

  @Test
  void perTestContainersJoinTheNetworkOfAPerClassOne() {
    Samples.SIGHTINGS.clear();
    assertPasses(PerTestClientsOfAPerClassServer.class, 3);
    assertThat(Samples.ids("redis")).as("one redis for the class").hasSize(1);
    Samples.assertAllRemoved();
  }

  @Redis(name = "primary")
  @Redis(name = "replica", networks = "replication")
  static class TwoRedisServers {
    @Test
    void both(@Handle("primary") RedisServer primary, @Handle("replica") RedisServer replica) throws Exception {
      assertThat(primary.redisUri()).isNotEqualTo(replica.redisUri());
      assertThat(primary.cli("SET", "k", "primary").stdout()).isEqualTo("OK\n");
      assertThat(replica.cli("GET", "k").stdout()).as("a separate server").isEqualTo("\n");
    }
  }

  @Test
  void catalogAnnotationsRepeat() {
    assertPasses(TwoRedisServers.class, 1);
  }

  @Image(value = "busybox:1.35", aliases = "db")
  static class AliasesWithoutNetwork {
    @Test void t() {}
  }

  @Redis(networks = "back end")
  static class BadNetworkName {
    @Test void t() {}
  }

  @Test
  void badNetworkDeclarationsNameTheFix() {
    assertThat(MisconfigurationIT.failures(AliasesWithoutNetwork.class)).singleElement().asString()
        .contains("@Image(value = \"busybox:1.35\", aliases = {\"db\"}) on " + AliasesWithoutNetwork.class.getName())
        .contains("no networks").contains("Add networks = \"NAME\"");
    assertThat(MisconfigurationIT.failures(BadNetworkName.class)).singleElement().asString()
        .contains("@Redis(version = \"7.0\", networks = {\"back end\"}) on " + BadNetworkName.class.getName())
        .contains("'back end' is not a valid network name");
  }

  private static void assertPasses(Class<?> sample, int tests) {
    Events events = Samples.run(sample).testEvents();
    events.failed().stream().forEach(e -> {
      throw new AssertionError(sample.getSimpleName() + " failed",
          e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow());
    });
    events.assertStatistics(s -> s.started(tests).succeeded(tests));
  }

}
