package dev.skiff.junit;

import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The networks a declaration joins, by name, and the aliases it has on each.
 *
 * @param names network names, in the order declared
 * @param aliases extra names on each of them
 */
record DeclaredNetworks(List<String> names, List<String> aliases) {
  static final DeclaredNetworks NONE = new DeclaredNetworks(List.of(), List.of());
  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

  /** The attributes {@code networks} and {@code aliases} of an annotation; bad ones fail naming {@code origin}. */
  static DeclaredNetworks of(String[] names, String[] aliases, String origin) {
    for (String name : names) {
      require(name, "network name", origin);
    }
    for (String alias : aliases) {
      require(alias, "alias", origin);
    }
    if (aliases.length > 0 && names.length == 0) {
      throw new ExtensionConfigurationException(origin + ": aliases " + List.of(aliases) + " are given but no"
          + " networks; aliases are names on a network. Add networks = \"NAME\".");
    }
    if (List.of(names).stream().distinct().count() < names.length) {
      throw new ExtensionConfigurationException(origin + ": networks " + List.of(names) + " names a network twice."
          + " Name each once.");
    }
    return new DeclaredNetworks(List.of(names), List.of(aliases));
  }

  private static void require(String value, String what, String origin) {
    if (!value.matches(NAME)) {
      throw new ExtensionConfigurationException(origin + ": '" + value + "' is not a valid " + what + ". Use letters,"
          + " digits, '_', '.' and '-', starting with a letter or digit, at most 63 characters.");
    }
  }
}
