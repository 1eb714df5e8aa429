package dev.skiff.engine.runtime;

/** The size of a container's pseudo-terminal, in character cells, as {@code stty size} prints it. */
public record TtySize(int rows, int cols) {
  public TtySize {
    if (rows < 1 || rows > 65535 || cols < 1 || cols > 65535) {
      throw new IllegalArgumentException("A terminal size needs rows and columns within 1..65535, not " + rows + "x"
          + cols);
    }
  }
}
