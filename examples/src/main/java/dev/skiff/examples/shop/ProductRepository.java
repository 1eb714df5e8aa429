package dev.skiff.examples.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Products in the {@code product} table (db/schema.sql) of any JDBC database: PostgreSQL, MariaDB, MySQL. */
public final class ProductRepository {
  private final String jdbcUrl;
  private final String username;
  private final String password;

  public ProductRepository(String jdbcUrl, String username, String password) {
    this.jdbcUrl = jdbcUrl;
    this.username = username;
    this.password = password;
  }

  /** Stores a new product; a product with its id already stored fails. */
  public void add(Product product) throws SQLException {
    try (Connection c = connect();
         PreparedStatement s = c.prepareStatement("INSERT INTO product (id, name, price_cents) VALUES (?, ?, ?)")) {
      s.setLong(1, product.id());
      s.setString(2, product.name());
      s.setInt(3, product.priceCents());
      s.executeUpdate();
    }
  }

  /** Changes a stored product's price; returns whether the product exists. */
  public boolean changePrice(long id, int priceCents) throws SQLException {
    try (Connection c = connect();
         PreparedStatement s = c.prepareStatement("UPDATE product SET price_cents = ? WHERE id = ?")) {
      s.setInt(1, priceCents);
      s.setLong(2, id);
      return s.executeUpdate() == 1;
    }
  }

  public Optional<Product> find(long id) throws SQLException {
    try (Connection c = connect();
         PreparedStatement s = c.prepareStatement("SELECT name, price_cents FROM product WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Product(id, r.getString(1), r.getInt(2))) : Optional.empty();
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, username, password);
  }
}
