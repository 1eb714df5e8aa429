package dev.skiff.examples.shop;

import java.util.Objects;

/** A product of the shop, its price in cents. */
public record Product(long id, String name, int priceCents) {
  public Product {
    Objects.requireNonNull(name, "name");
    if (priceCents < 0) {
      throw new IllegalArgumentException("Product " + id + " '" + name + "': price " + priceCents + " is negative");
    }
  }
}
