package dev.skiff.junit;

import dev.skiff.engine.network.Network;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A network of declared containers, in the store of the widest scope that declares it; closed when that ends. */
record StartedNetwork(Network network) implements ExtensionContext.Store.CloseableResource {

  @Override
  public void close() {
    network.close();
  }
}
