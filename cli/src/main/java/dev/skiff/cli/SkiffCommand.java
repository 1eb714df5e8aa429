package dev.skiff.cli;

/** Entry point of the {@code skiff} command. */
public final class SkiffCommand {
  private SkiffCommand() {}

  public static void main(String[] args) {
    System.out.println("skiff");
  }
}
