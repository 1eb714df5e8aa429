package dev.skiff.examples.shop;

import java.io.IOException;

/**
 * Formats prices with the shop's Node script (src/main/node/format-price.js), so that the web front end and the
 * back end print prices alike.
 */
public final class PriceFormatter {
  /** Runs {@code node SCRIPT ARGS...} somewhere and returns its standard output. */
  @FunctionalInterface
  public interface NodeScripts {
    String run(String script, String... args) throws IOException, InterruptedException;
  }

  private final NodeScripts node;

  public PriceFormatter(NodeScripts node) {
    this.node = node;
  }

  /** E.g. {@code 1999, "EUR", "de-DE"} gives {@code 19,99 €}. */
  public String format(int priceCents, String currency, String locale) throws IOException, InterruptedException {
    return node.run("format-price.js", Integer.toString(priceCents), currency, locale).strip();
  }
}
