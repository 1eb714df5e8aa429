package dev.skiff.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The suite's shared PostgreSQL from {@link ShopDatabase}. */
class ProductRepositoryTest extends ShopDatabase {
  private ProductRepository products;

  @BeforeEach
  void connect() {
    products = new ProductRepository(SHOP_DB.getJdbcUrl(), SHOP_DB.getUsername(), SHOP_DB.getPassword());
  }

  @Test
  void findsWhatWasAdded() throws SQLException {
    long id = nextProductId();
    products.add(new Product(id, "Kayak paddle", 4_999));

    assertThat(products.find(id)).contains(new Product(id, "Kayak paddle", 4_999));
    assertThat(products.find(nextProductId())).isEmpty();
  }

  @Test
  void changesPricesOfStoredProductsOnly() throws SQLException {
    long id = nextProductId();
    products.add(new Product(id, "Life vest", 8_900));

    assertThat(products.changePrice(id, 7_500)).isTrue();
    assertThat(products.find(id)).map(Product::priceCents).contains(7_500);
    assertThat(products.changePrice(nextProductId(), 100)).isFalse();
  }

  @Test
  void refusesASecondProductWithTheSameId() throws SQLException {
    long id = nextProductId();
    products.add(new Product(id, "Dry bag", 1_500));

    assertThatThrownBy(() -> products.add(new Product(id, "Other bag", 900)))
        .isInstanceOf(SQLException.class).hasMessageContaining("product_pkey");
  }
}
