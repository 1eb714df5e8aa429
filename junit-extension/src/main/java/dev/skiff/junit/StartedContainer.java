package dev.skiff.junit;

import dev.skiff.engine.runtime.Container;
import java.io.IOException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A running container in the store of the context it lives in; removed when that context ends. */
record StartedContainer(Declaration declaration, Container container)
    implements ExtensionContext.Store.CloseableResource {

  @Override
  public void close() throws IOException {
    container.remove();
  }
}
