package dev.skiff.junit;

import dev.skiff.engine.image.ImageReference;
import dev.skiff.engine.lock.ImageLock;
import dev.skiff.engine.registry.RegistryException;
import dev.skiff.engine.network.Network;
import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ModifierSupport;

/**
 * Starts the containers a test declares ({@link Image}, {@link SkiffContainer}), injects them ({@link Handle},
 * {@link Container} parameters) and removes them when their {@link Lifecycle} ends. Registered by those annotations;
 * registering it by hand is never needed.
 *
 * <p>Every container lives in the {@link ExtensionContext.Store} of the context it belongs to (the test's, the
 * class's, or the root's for the whole run) as a closeable resource, so JUnit removes it when that context ends,
 * whether its tests passed, failed or were aborted; the engine's own clean-up covers a JVM that is killed. A test's
 * containers start side by side, and a shared container starts once however many parallel tests ask for it. A
 * failed test's exception carries the last {@value ContainerLogExcerpt#LINES} lines each of its containers printed.
 *
 * <p>Configuration is the engine's ({@link dev.skiff.engine.EngineConfig}: system properties, {@code SKIFF_*}
 * environment variables, {@code skiff.properties}), with one difference: tags are locked to digests in {@code
 * src/test/resources/skiff.lock} unless {@code skiff.lock.file} names another file or {@code none}.
 */
public final class SkiffExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
    TestExecutionExceptionHandler {
  static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SkiffExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    startAll(context, Declarations.visibleFrom(context));
    for (Class<?> c : Declarations.classChain(context)) {
      injectFields(context, c, null);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    startAll(context, Declarations.visibleFrom(context));
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      injectFields(context, instance.getClass(), instance);
    }
  }

  /** A {@link Container}, or a catalog handle type ({@code PostgresDatabase}, {@code JdbcDatabase}, ...) declared. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Container.class || type != Object.class && Declarations.visibleFrom(context).stream()
        .anyMatch(d -> d.definition().isPresent() && d.injectableAs(type));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    String name = parameter.findAnnotation(Handle.class).map(Handle::value).orElse("");
    String what = "Parameter '" + parameter.getParameter().getName() + "' of " + parameter.getDeclaringExecutable();
    return resolve(context, name, parameter.getParameter().getType(), what, ParameterResolutionException::new);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    for (Declaration d : Declarations.visibleFrom(context)) {
      ExtensionContext scope = scope(context, d);
      try {
        StartedContainer started = scope.getStore(NAMESPACE).get(storeKey(scope, d), StartedContainer.class);
        if (started != null) {
          failure.addSuppressed(new ContainerLogExcerpt(d, started.container()));
        }
      } catch (RuntimeException e) {
        // it failed to start, and that failure is reported already
      }
    }
    throw failure;
  }

  /** Starts (or finds started) every declaration, side by side. */
  private static void startAll(ExtensionContext context, List<Declaration> visible) {
    if (visible.size() <= 1) {
      visible.forEach(d -> obtain(context, d, visible)); // none: no engine is needed yet
      return;
    }
    SharedEngine shared = SharedEngine.of(context);
    List<CompletableFuture<StartedContainer>> starts = new ArrayList<>();
    for (Declaration d : visible) {
      starts.add(CompletableFuture.supplyAsync(() -> obtain(context, d, visible), shared.starter));
    }
    RuntimeException failure = null;
    for (CompletableFuture<StartedContainer> start : starts) {
      try {
        start.join();
      } catch (CompletionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
        if (failure == null) {
          failure = cause;
        } else if (failure != cause) {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The declaration's container, started in the store of the context it lives in unless it is there already. */
  private static StartedContainer obtain(ExtensionContext context, Declaration declaration,
      List<Declaration> visible) {
    ExtensionContext scope = scope(context, declaration);
    return scope.getStore(NAMESPACE).getOrComputeIfAbsent(storeKey(scope, declaration),
        k -> start(context, declaration, visible), StartedContainer.class);
  }

  private static ExtensionContext scope(ExtensionContext context, Declaration declaration) {
    return switch (declaration.lifecycle()) {
      case PER_SUITE -> context.getRoot();
      case PER_CLASS -> classContext(context, declaration.owner());
      default -> context;
    };
  }

  private static ExtensionContext classContext(ExtensionContext context, Class<?> owner) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      if (c.getTestMethod().isEmpty() && c.getTestClass().filter(k -> k == owner).isPresent()) {
        return c;
      }
    }
    return context;
  }

  /** Store lookups fall back to parent contexts, so each scope's keys carry the scope's id. */
  private static Object storeKey(ExtensionContext scope, Declaration declaration) {
    return declaration.lifecycle() == Lifecycle.PER_SUITE
        ? List.of(Lifecycle.PER_SUITE, declaration.suiteKey())
        : List.of(scope.getUniqueId(), declaration.key());
  }

  private static StartedContainer start(ExtensionContext context, Declaration declaration,
      List<Declaration> visible) {
    SharedEngine shared = SharedEngine.of(context);
    try {
      reportMovedTag(context, shared.engine.pin(ImageReference.parse(declaration.spec().image())));
      Container container = shared.engine.run(withNetworks(context, declaration, visible));
      return new StartedContainer(declaration, container, declaration.handle(container));
    } catch (Exception e) {
      String message = testName(context) + ": " + declaration.origin() + " could not start: " + e.getMessage();
      if (e instanceof RegistryException r && r.status() == 404) {
        throw new ExtensionConfigurationException(message + ". Check the image name and tag: does that registry have"
            + " it? (Tests can redirect images with skiff.image.substitutions or skiff.registry.mirrors.)", e);
      }
      if (e instanceof IllegalArgumentException) {
        throw new ExtensionConfigurationException(message, e);
      }
      throw new JUnitException(message, e);
    }
  }

  /**
   * The declaration's spec joined to its declared networks, where it is reachable by its declared name and aliases.
   */
  private static ContainerSpec withNetworks(ExtensionContext context, Declaration declaration,
      List<Declaration> visible) throws IOException {
    DeclaredNetworks declared = declaration.networks();
    if (declared.names().isEmpty()) {
      return declaration.spec();
    }
    List<String> aliases = new ArrayList<>(declared.aliases());
    if (!declaration.spec().name().equals(Optional.of(declaration.name())) && !aliases.contains(declaration.name())) {
      aliases.add(0, declaration.name());
    }
    ContainerSpec.Builder spec = declaration.spec().toBuilder();
    for (String name : declared.names()) {
      spec.network(network(context, name, visible), aliases.toArray(String[]::new));
    }
    return spec.build();
  }

  /**
   * The network {@code name} as {@code context} sees it: kept in the store of the longest-lived declaration visible
   * from {@code context} that joins it (the outermost among equals), so every container that joins it while that
   * scope lives gets the same network. Store lookups fall back to parents, so narrower scopes find it there.
   */
  private static Network network(ExtensionContext context, String name, List<Declaration> visible) {
    Declaration widest = visible.stream()
        .filter(d -> d.networks().names().contains(name))
        .max(Comparator.comparingInt(d -> d.lifecycle().ordinal()))
        .orElseThrow();
    ExtensionContext scope = scope(context, widest);
    return scope.getStore(NAMESPACE).getOrComputeIfAbsent(List.of(StartedNetwork.class, name), k -> {
      try {
        return new StartedNetwork(SharedEngine.of(context).engine.createNetwork(name));
      } catch (IOException e) {
        throw new UncheckedIOException("Network '" + name + "' could not be created: " + e.getMessage(), e);
      }
    }, StartedNetwork.class).network();
  }

  /** The engine logs a moved tag; the test report gets it too, where whoever reads the failures looks. */
  private static void reportMovedTag(ExtensionContext context, Optional<ImageLock.Pin> pin) {
    pin.filter(p -> p.status() == ImageLock.Status.MOVED).ifPresent(p -> context.publishReportEntry("skiff.lock",
        p.reference().familiarName() + " now names " + p.current().orElseThrow() + ", but the lock file locks it to "
            + p.digest() + ", which is used. Run with -Dskiff.lock.update=true to move to the new image."));
  }

  private static void injectFields(ExtensionContext context, Class<?> type, Object instance) {
    List<Field> fields = AnnotationSupport.findAnnotatedFields(type, Handle.class,
        f -> instance == null ? ModifierSupport.isStatic(f) : ModifierSupport.isNotStatic(f));
    for (Field field : fields) {
      String what = "Field " + field.getDeclaringClass().getName() + "." + field.getName();
      if (field.getType() == Object.class) {
        throw new ExtensionConfigurationException(what + " is annotated @Handle but is an Object; declare it as "
            + Container.class.getName() + " or the handle type, e.g. PostgresDatabase.");
      }
      Object handle = resolve(context, field.getAnnotation(Handle.class).value(), field.getType(), what,
          ExtensionConfigurationException::new);
      try {
        field.setAccessible(true);
        field.set(instance, handle);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new ExtensionConfigurationException(what + " cannot be set: " + e + ". Make it non-final.", e);
      }
    }
  }

  /**
   * The container or handle of the one visible declaration named {@code name} (any, when empty) that can be injected
   * as {@code type}: the container for {@link Container}, else the catalog handle.
   */
  private static Object resolve(ExtensionContext context, String name, Class<?> type, String what,
      Function<String, ? extends RuntimeException> failure) {
    List<Declaration> visible = Declarations.visibleFrom(context);
    List<Declaration> matching = visible.stream()
        .filter(d -> (name.isEmpty() || d.name().equals(name)) && d.injectableAs(type)).toList();
    if (matching.size() == 1) {
      StartedContainer started = obtain(context, matching.get(0), visible);
      return type == Container.class ? started.container() : started.handle();
    }
    String kind = type == Container.class ? "container" : type.getSimpleName();
    String asking = what + " in " + testName(context) + " asks for " + (name.isEmpty() ? "a " + kind : kind + " '"
        + name + "'");
    if (visible.isEmpty()) {
      throw failure.apply(asking + ", but none is declared for it. Declare one: @Image(\"redis:7.0\") on the class"
          + " or method, or a @SkiffContainer field holding a ContainerSpec.");
    }
    if (matching.isEmpty()) {
      throw failure.apply(asking + ", but it sees only " + visible + ". Use one of those names in @Handle, or name"
          + " the declaration '" + name + "'.");
    }
    throw failure.apply(asking + ", but " + matching.size() + " match: " + matching + ". "
        + (name.isEmpty() ? "Pick one with @Handle(\"name\")." : "Give them distinct names."));
  }

  private static String testName(ExtensionContext context) {
    return context.getRequiredTestClass().getName()
        + context.getTestMethod().map(m -> "." + m.getName() + "()").orElse("");
  }
}
