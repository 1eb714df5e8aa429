package dev.skiff.junit;

import dev.skiff.catalog.ContainerDefinition;
import dev.skiff.catalog.MariaDbImage;
import dev.skiff.catalog.MySqlImage;
import dev.skiff.catalog.NodeImage;
import dev.skiff.catalog.PostgresImage;
import dev.skiff.catalog.RedisImage;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/** Reads the catalog's annotations ({@link MySQL}, {@link MariaDB}, {@link Postgres}, {@link Redis}, {@link Node}). */
final class CatalogAnnotations {
  /** One catalog annotation found on an element: what it defines and how it is named and kept. */
  record Found(Annotation annotation, String description, String name, Lifecycle lifecycle,
      ContainerDefinition<?> definition, DeclaredNetworks networks) {}

  private record Reader<A extends Annotation>(Class<A> type, BiFunction<A, String, Found> read) {
    void readInto(AnnotatedElement element, List<Found> found, String where) {
      AnnotationSupport.findRepeatableAnnotations(element, type).forEach(a -> found.add(read.apply(a, where)));
    }
  }

  private static final List<Reader<?>> READERS = List.of(
      new Reader<>(MySQL.class, (a, where) -> found(a, a.version(), a.name(), a.lifecycle(), a.networks(), a.aliases(), where, "mysql",
          () -> {
            MySqlImage d = MySqlImage.version(a.version()).withDatabaseName(a.databaseName())
                .withUsername(a.username()).withPassword(a.password()).withRootPassword(a.rootPassword()).withInitScript(a.initScripts())
                .withConfigFile(a.configFiles());
            return a.snapshot() ? d : d.withoutSnapshot();
          })),
      new Reader<>(MariaDB.class, (a, where) -> found(a, a.version(), a.name(), a.lifecycle(), a.networks(), a.aliases(), where,
          "mariadb",
          () -> {
            MariaDbImage d = MariaDbImage.version(a.version()).withDatabaseName(a.databaseName())
                .withUsername(a.username()).withPassword(a.password()).withRootPassword(a.rootPassword()).withInitScript(a.initScripts())
                .withConfigFile(a.configFiles());
            return a.snapshot() ? d : d.withoutSnapshot();
          })),
      new Reader<>(Postgres.class, (a, where) -> found(a, a.version(), a.name(), a.lifecycle(), a.networks(), a.aliases(), where,
          "postgres", () -> {
            PostgresImage d = PostgresImage.version(a.version()).withDatabaseName(a.databaseName())
                .withUsername(a.username()).withPassword(a.password()).withInitScript(a.initScripts());
            for (Map.Entry<String, String> s : pairs(a.settings(), "settings", "@Postgres on " + where).entrySet()) {
              d = d.withSetting(s.getKey(), s.getValue());
            }
            return a.snapshot() ? d : d.withoutSnapshot();
          })),
      new Reader<>(Redis.class, (a, where) -> found(a, a.version(), a.name(), a.lifecycle(), a.networks(), a.aliases(), where, "redis",
          () -> RedisImage.version(a.version()).withPassword(a.password()))),
      new Reader<>(Node.class, (a, where) -> found(a, a.version(), a.name(), a.lifecycle(), a.networks(), a.aliases(), where, "node",
          () -> {
            NodeImage d = NodeImage.version(a.version());
            if (!a.project().isEmpty()) {
              Path project = Path.of(a.project());
              d = a.bindProject() ? d.withProjectBound(project) : d.withProjectCopied(project);
            }
            for (Map.Entry<String, String> e : pairs(a.env(), "env", "@Node on " + where).entrySet()) {
              d = d.withEnv(e.getKey(), e.getValue());
            }
            return d;
          })));

  private CatalogAnnotations() {}

  /** The catalog annotations on {@code element} (directly or on its annotations); {@code where} names it. */
  static List<Found> on(AnnotatedElement element, String where) {
    List<Found> found = new ArrayList<>();
    for (Reader<?> reader : READERS) {
      reader.readInto(element, found, where);
    }
    return found;
  }

  /** A definition from an annotation; a bad attribute fails naming the annotation, where it is, and the problem. */
  private static Found found(Annotation annotation, String version, String name, Lifecycle lifecycle,
      String[] networks, String[] aliases, String where, String defaultName,
      Supplier<ContainerDefinition<?>> definition) {
    String description = "@" + annotation.annotationType().getSimpleName() + "(version = \"" + version + "\""
        + (name.isEmpty() ? "" : ", name = \"" + name + "\"")
        + (networks.length == 0 ? "" : ", networks = " + Declarations.quoted(networks)) + ")";
    DeclaredNetworks declared = DeclaredNetworks.of(networks, aliases, description + " on " + where);
    try {
      return new Found(annotation, description, name.isEmpty() ? defaultName : name, lifecycle, definition.get(),
          declared);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(description + " on " + where + ": " + e.getMessage()
          + ". Fix the annotation.", e);
    }
  }

  /** {@code NAME=value} entries of the attribute {@code attribute}, in order. */
  static Map<String, String> pairs(String[] entries, String attribute, String origin) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new ExtensionConfigurationException(origin + ": " + attribute + " entry '" + entry + "' is not"
            + " NAME=value. Write it as " + attribute + " = \"" + (eq == 0 ? "NAME" + entry : entry + "=value")
            + "\".");
      }
      pairs.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return pairs;
  }
}
