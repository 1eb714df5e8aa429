package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.catalog.PostgresDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Declarative style: the database comes from an annotation ({@link ShopDatabase}), its handle is a parameter. */
@ShopDatabase
class ProductRepositoryTest {
  private ProductRepository products;

  @BeforeEach
  void connect(PostgresDatabase db) {
    products = new ProductRepository(db.jdbcUrl(), db.username(), db.password());
  }

  @Test
  void findsWhatWasAdded() throws SQLException {
    long id = ProductIds.next();
    products.add(new Product(id, "Kayak paddle", 4_999));

    assertThat(products.find(id)).contains(new Product(id, "Kayak paddle", 4_999));
    assertThat(products.find(ProductIds.next())).isEmpty();
  }

  @Test
  void changesPricesOfStoredProductsOnly() throws SQLException {
    long id = ProductIds.next();
    products.add(new Product(id, "Life vest", 8_900));

    assertThat(products.changePrice(id, 7_500)).isTrue();
    assertThat(products.find(id)).map(Product::priceCents).contains(7_500);
    assertThat(products.changePrice(ProductIds.next(), 100)).isFalse();
  }

  @Test
  void refusesASecondProductWithTheSameId() throws SQLException {
    long id = ProductIds.next();
    products.add(new Product(id, "Dry bag", 1_500));

    assertThatThrownBy(() -> products.add(new Product(id, "Other bag", 900)))
        .isInstanceOf(SQLException.class).hasMessageContaining("product_pkey");
  }
}
