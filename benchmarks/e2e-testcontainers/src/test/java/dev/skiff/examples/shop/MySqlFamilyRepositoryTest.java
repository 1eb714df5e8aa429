package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same repository on MariaDB (a static {@link Container} field: one for all its tests) and on MySQL (started in
 * the test method: a fresh one for that test alone).
 */
@Testcontainers
class MySqlFamilyRepositoryTest {
  @Container
  static MariaDBContainer<?> mariaDb = new MariaDBContainer<>(DockerImageName.parse("mariadb:10.11"))
      .withInitScript("db/schema.sql");

  @Test
  void worksOnMariaDb() throws SQLException {
    ProductRepository products = new ProductRepository(mariaDb.getJdbcUrl(), mariaDb.getUsername(),
        mariaDb.getPassword());
    products.add(new Product(1, "Canoe", 89_900));

    assertThat(products.find(1)).contains(new Product(1, "Canoe", 89_900));
  }

  @Test
  void worksOnMySql() throws SQLException {
    try (MySQLContainer<?> db = new MySQLContainer<>(DockerImageName.parse("mysql:8.0"))
        .withInitScript("db/schema.sql")) {
      db.start();
      ProductRepository products = new ProductRepository(db.getJdbcUrl(), db.getUsername(), db.getPassword());
      products.add(new Product(1, "Canoe", 89_900));

      assertThat(products.changePrice(1, 79_900)).isTrue();
      assertThat(products.find(1)).map(Product::priceCents).contains(79_900);
    }
  }
}
