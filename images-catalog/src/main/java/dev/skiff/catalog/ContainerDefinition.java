package dev.skiff.catalog;

import dev.skiff.engine.Engine;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.io.IOException;

/**
 * A ready-made container: the spec that runs a service image the way its official image expects, and the handle a
 * started container of it gives (a JDBC URL with credentials, a Redis URI, a way to run Node scripts). Definitions are
 * immutable values: their {@code with} methods return changed copies, and equal definitions run equal containers.
 *
 * <pre>{@code
 * try (Engine engine = Engine.create();
 *      PostgresDatabase db = PostgresImage.version("15").withInitScript("db/schema.sql").start(engine)) {
 *   Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
 * }
 * }</pre>
 *
 * @param <H> the handle type
 */
public interface ContainerDefinition<H> {
  /**
   * A builder of the spec to run (image, environment, published port, files copied in, a wait that means ready), to
   * adjust before building: a name, a memory limit, more variables.
   */
  ContainerSpec.Builder specBuilder();

  /** The spec to run, as {@link #specBuilder()} builds it. */
  default ContainerSpec spec() {
    return specBuilder().build();
  }

  /** What {@link #handle} returns, for injection by type. */
  Class<H> handleType();

  /** The handle of {@code container}, a started container of {@link #spec()}. */
  H handle(Container container);

  /** Runs {@link #spec()} in {@code engine} and returns the ready container's handle; closing it removes it. */
  default H start(Engine engine) throws IOException {
    return handle(engine.run(spec()));
  }
}
