package dev.skiff.examples.shop;

import java.util.concurrent.atomic.AtomicLong;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The shop's database, one for the whole test run: Testcontainers' singleton-container pattern, a base class whose
 * static initializer starts the container once per JVM. Classes extending it run in parallel, so tests add products
 * under ids of their own ({@link #nextProductId()}).
 */
abstract class ShopDatabase {
  static final PostgreSQLContainer<?> SHOP_DB = startShopDatabase();
  private static final AtomicLong NEXT_PRODUCT_ID = new AtomicLong(1);

  private static PostgreSQLContainer<?> startShopDatabase() {
    PostgreSQLContainer<?> db = new PostgreSQLContainer<>(DockerImageName.parse("postgres:15"))
        .withInitScript("db/schema.sql");
    db.start();
    // Ryuk, which would remove it when the JVM ends, is off in the benchmark (its image is not in the test registry).
    Runtime.getRuntime().addShutdownHook(new Thread(db::stop));
    return db;
  }

  static long nextProductId() {
    return NEXT_PRODUCT_ID.getAndIncrement();
  }
}
