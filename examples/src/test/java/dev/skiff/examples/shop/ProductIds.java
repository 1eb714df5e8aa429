package dev.skiff.examples.shop;

import java.util.concurrent.atomic.AtomicLong;

/** Product ids no other test uses: classes sharing the {@link ShopDatabase} run in parallel. */
final class ProductIds {
  private static final AtomicLong NEXT = new AtomicLong(1);

  private ProductIds() {}

  static long next() {
    return NEXT.getAndIncrement();
  }
}
