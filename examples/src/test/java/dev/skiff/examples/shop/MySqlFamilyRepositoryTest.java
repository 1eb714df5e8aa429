package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.catalog.MariaDbDatabase;
import dev.skiff.catalog.MySqlDatabase;
import dev.skiff.junit.MariaDB;
import dev.skiff.junit.MySQL;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The same repository on MariaDB (declared on the class: one for all its tests) and on MySQL (declared on a test
 * method: a fresh one for that test alone).
 */
@MariaDB(version = "10.11", initScripts = "db/schema.sql")
class MySqlFamilyRepositoryTest {
  @Test
  void worksOnMariaDb(MariaDbDatabase db) throws SQLException {
    ProductRepository products = new ProductRepository(db.jdbcUrl(), db.username(), db.password());
    products.add(new Product(1, "Canoe", 89_900));

    assertThat(products.find(1)).contains(new Product(1, "Canoe", 89_900));
  }

  @Test
  @MySQL(version = "8.0", initScripts = "db/schema.sql")
  void worksOnMySql(MySqlDatabase db) throws SQLException {
    // The MariaDB driver on the class path takes jdbc:mysql: URLs when asked; MySQL's own driver takes them as is.
    ProductRepository products = new ProductRepository(db.jdbcUrl() + "?permitMysqlScheme", db.username(),
        db.password());
    products.add(new Product(1, "Canoe", 89_900));

    assertThat(products.changePrice(1, 79_900)).isTrue();
    assertThat(products.find(1)).map(Product::priceCents).contains(79_900);
  }
}
