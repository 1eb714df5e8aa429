package dev.skiff.junit;

import dev.skiff.catalog.ContainerDefinition;
import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.runtime.ContainerSpec;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

/** Finds the containers a test context sees: its classes' (outermost first), its method's and its fields'. */
final class Declarations {
  private Declarations() {}

  /**
   * Everything declared for {@code context}: for a class, the class-wide containers of it and its enclosing classes;
   * for a test method, also the per-test ones (on the method, on the classes, in instance fields).
   */
  static List<Declaration> visibleFrom(ExtensionContext context) {
    boolean test = context.getTestMethod().isPresent();
    List<Declaration> found = new ArrayList<>();
    for (Class<?> c : classChain(context)) {
      found.addAll(onElement(c, c, Lifecycle.PER_CLASS));
      for (Field f : AnnotationSupport.findAnnotatedFields(c, SkiffContainer.class, ModifierSupport::isStatic)) {
        found.add(inField(c, f, null));
      }
    }
    if (test) {
      found.addAll(onElement(context.getRequiredTestMethod(), context.getRequiredTestClass(), Lifecycle.PER_TEST));
      for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
        for (Field f : AnnotationSupport.findAnnotatedFields(instance.getClass(), SkiffContainer.class,
            ModifierSupport::isNotStatic)) {
          found.add(inField(instance.getClass(), f, instance));
        }
      }
    }
    return test ? found : found.stream().filter(d -> d.lifecycle() != Lifecycle.PER_TEST).toList();
  }

  /** The test classes from the outermost enclosing one down to {@code context}'s own. */
  static List<Class<?>> classChain(ExtensionContext context) {
    List<Class<?>> chain = new ArrayList<>();
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      c.getTestClass().filter(k -> chain.isEmpty() || chain.get(0) != k).ifPresent(k -> chain.add(0, k));
    }
    return chain;
  }

  private static List<Declaration> onElement(AnnotatedElement element, Class<?> owner, Lifecycle fallback) {
    List<Image> images = AnnotationSupport.findRepeatableAnnotations(element, Image.class);
    String where = element instanceof Method m ? owner.getName() + "." + m.getName() + "()" : owner.getName();
    List<Declaration> found = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      String origin = describe(image) + " on " + where;
      ImageReference reference = parse(image.value(), origin);
      String name = image.name().isEmpty() ? lastComponent(reference) : image.name();
      Lifecycle lifecycle = image.lifecycle() == Lifecycle.DEFAULT ? fallback : image.lifecycle();
      found.add(new Declaration(name, lifecycle, owner, List.of(element, i), origin, spec(image, origin), image,
          Optional.empty(), DeclaredNetworks.of(image.networks(), image.aliases(), origin)));
    }
    List<CatalogAnnotations.Found> catalog = CatalogAnnotations.on(element, where);
    for (int i = 0; i < catalog.size(); i++) {
      CatalogAnnotations.Found c = catalog.get(i);
      String origin = c.description() + " on " + where;
      Lifecycle lifecycle = c.lifecycle() == Lifecycle.DEFAULT ? fallback : c.lifecycle();
      found.add(new Declaration(c.name(), lifecycle, owner, List.of(element, c.description(), i), origin,
          catalogSpec(c.definition(), origin), c.annotation(), Optional.of(c.definition()), c.networks()));
    }
    return found;
  }

  /** The definition's spec; a definition that cannot make one (a missing init script, say) fails naming the origin. */
  private static ContainerSpec catalogSpec(ContainerDefinition<?> definition, String origin) {
    try {
      ContainerSpec spec = definition.spec();
      parse(spec.image(), origin);
      return spec;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new ExtensionConfigurationException(origin + ": " + e.getMessage() + ". Fix the declaration.", e);
    }
  }

  private static ContainerSpec spec(Image image, String origin) {
    try {
      ContainerSpec.Builder spec = ContainerSpec.builder(image.value());
      CatalogAnnotations.pairs(image.env(), "env", origin).forEach(spec::env);
      if (image.command().length > 0) {
        spec.command(image.command());
      }
      if (!image.name().isEmpty()) {
        spec.name(image.name());
      }
      spec.exposedPorts(image.ports());
      ReadinessSpec.parse(image.waitFor(), image.ports().length > 0, origin).ifPresent(spec::waitingFor);
      if (image.startupTimeoutSeconds() < 0) {
        throw new IllegalArgumentException("startupTimeoutSeconds must not be negative");
      } else if (image.startupTimeoutSeconds() > 0) {
        spec.startupTimeout(java.time.Duration.ofSeconds(image.startupTimeoutSeconds()));
      }
      return spec.build();
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(origin + ": " + e.getMessage() + ". Fix the annotation.", e);
    }
  }

  private static Declaration inField(Class<?> owner, Field field, Object instance) {
    SkiffContainer annotation = AnnotationSupport.findAnnotation(field, SkiffContainer.class).orElseThrow();
    String origin = "@SkiffContainer field " + owner.getName() + "." + field.getName();
    Object value;
    try {
      field.setAccessible(true);
      value = field.get(instance);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException(origin + " cannot be read: " + e, e);
    }
    String name = annotation.name().isEmpty() ? field.getName() : annotation.name();
    ContainerSpec spec;
    Optional<ContainerDefinition<?>> definition = Optional.empty();
    if (value instanceof ContainerSpec s) {
      spec = s;
    } else if (value instanceof ContainerSpec.Builder b) {
      spec = b.build();
    } else if (value instanceof ContainerDefinition<?> d) {
      spec = catalogSpec(d, origin);
      definition = Optional.of(d);
    } else {
      throw new ExtensionConfigurationException(origin + " holds " + (value == null ? "null" : "a "
          + value.getClass().getName()) + ", not a ContainerSpec or catalog definition. Assign it in its declaration,"
          + " e.g. ContainerSpec.builder(\"redis:7.0\").build() or RedisImage.version(\"7.0\").");
    }
    parse(spec.image(), origin);
    Lifecycle fallback = instance == null ? Lifecycle.PER_CLASS : Lifecycle.PER_TEST;
    Lifecycle lifecycle = annotation.lifecycle() == Lifecycle.DEFAULT ? fallback : annotation.lifecycle();
    Object source = definition.isPresent() ? value : spec;
    return new Declaration(name, lifecycle, owner, field, origin, spec, source, definition,
        DeclaredNetworks.of(annotation.networks(), annotation.aliases(), origin));
  }

  private static ImageReference parse(String reference, String origin) {
    try {
      return ImageReference.parse(reference);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(origin + ": " + e.getMessage(), e);
    }
  }

  private static String lastComponent(ImageReference reference) {
    String repository = reference.repository();
    return repository.substring(repository.lastIndexOf('/') + 1);
  }

  /** The annotation as written, with only the attributes that differ from their defaults. */
  private static String describe(Image image) {
    List<String> parts = new ArrayList<>();
    parts.add("\"" + image.value() + "\"");
    if (!image.name().isEmpty()) {
      parts.add("name = \"" + image.name() + "\"");
    }
    if (image.env().length > 0) {
      parts.add("env = " + quoted(image.env()));
    }
    if (image.command().length > 0) {
      parts.add("command = " + quoted(image.command()));
    }
    if (image.ports().length > 0) {
      parts.add("ports = " + Arrays.stream(image.ports()).mapToObj(String::valueOf)
          .collect(Collectors.joining(", ", "{", "}")));
    }
    if (image.waitFor().length > 0) {
      parts.add("waitFor = " + quoted(image.waitFor()));
    }
    if (image.networks().length > 0) {
      parts.add("networks = " + quoted(image.networks()));
    }
    if (image.aliases().length > 0) {
      parts.add("aliases = " + quoted(image.aliases()));
    }
    if (image.lifecycle() != Lifecycle.DEFAULT) {
      parts.add("lifecycle = " + image.lifecycle());
    }
    return "@Image(" + (parts.size() == 1 ? parts.get(0) : "value = " + String.join(", ", parts)) + ")";
  }

  static String quoted(String[] values) {
    return Arrays.stream(values).map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "{", "}"));
  }
}
