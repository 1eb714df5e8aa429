package dev.skiff.junit;

import static dev.skiff.junit.Samples.ids;
import static dev.skiff.junit.Samples.saw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Which tests share which container, counted by container id, and that every one is gone after the run. */
class LifecycleIT {
  static ContainerSpec.Builder sleeper() {
    return ContainerSpec.builder("busybox:1.35").command("sleep", "300");
  }

  @Image(value = "busybox:1.35", name = "classwide", command = {"sleep", "300"})
  static class Declared {
    @SkiffContainer static ContainerSpec staticField = sleeper().build();
    @SkiffContainer ContainerSpec.Builder instanceField = sleeper();
    @Handle("staticField") static Container staticHandle;
    @Handle("classwide") Container classwideHandle;

    @Test
    @Image(value = "busybox:1.35", name = "mine", command = {"sleep", "300"})
    void first(@Handle("classwide") Container classwide, @Handle("mine") Container mine,
        @Handle("instanceField") Container instance) {
      saw("first", "classwide", classwide);
      saw("first", "mine", mine);
      saw("first", "instanceField", instance);
      saw("first", "staticField", staticHandle);
      assertThat(classwideHandle).isSameAs(classwide);
    }

    @Test
    void second(@Handle("classwide") Container classwide, @Handle("instanceField") Container instance) {
      saw("second", "classwide", classwide);
      saw("second", "instanceField", instance);
      saw("second", "staticField", staticHandle);
    }

    @Nested
    class Inner {
      @Test
      void seesTheOuterEnvironment(@Handle("classwide") Container classwide, @Handle("instanceField") Container mine) {
        saw("nested", "classwide", classwide);
        saw("nested", "instanceField", mine);
        saw("nested", "staticField", staticHandle);
      }
    }
  }

  @Test
  void perClassIsSharedByTheClassAndItsNestedClassesPerTestByNoOne() {
    EngineExecutionResults results = Samples.run(Declared.class);

    results.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
    assertThat(ids("classwide")).hasSize(1);
    assertThat(ids("staticField")).hasSize(1);
    assertThat(ids("instanceField")).hasSize(3);
    assertThat(ids("mine")).hasSize(1).doesNotContainAnyElementsOf(ids("classwide"));
    Samples.assertAllRemoved();
  }

  @Image(value = "busybox:1.35", name = "shared", command = {"sleep", "300"}, lifecycle = Lifecycle.PER_SUITE)
  static class SuiteA {
    @Test
    void a(Container shared) {
      saw("a", "shared", shared);
    }
  }

  @Image(value = "busybox:1.35", name = "shared", command = {"sleep", "300"}, lifecycle = Lifecycle.PER_SUITE)
  static class SuiteB {
    @Test
    void b(Container shared) {
      saw("b", "shared", shared);
    }
  }

  @Image(value = "busybox:1.35", name = "shared", command = {"sleep", "301"}, lifecycle = Lifecycle.PER_SUITE)
  static class SuiteOtherCommand {
    @Test
    void c(Container shared) {
      saw("c", "other", shared);
    }
  }

  @Test
  void perSuiteIsSharedByClassesDeclaringTheSameContainerUntilTheRunEnds() {
    EngineExecutionResults results = Samples.run(SuiteA.class, SuiteB.class, SuiteOtherCommand.class);

    results.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
    assertThat(ids("shared")).hasSize(1);
    assertThat(ids("other")).hasSize(1).doesNotContainAnyElementsOf(ids("shared"));
    Samples.assertAllRemoved();
  }

  /** A team's environment, composed once and put on many classes. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @Image(value = "busybox:1.35", name = "db", command = {"sleep", "300"})
  @Image(value = "busybox:1.35", name = "cache", command = {"sleep", "300"})
  @interface TeamEnvironment {}

  @TeamEnvironment
  static class Composed {
    @Test
    void getsBoth(@Handle("db") Container db, @Handle("cache") Container cache) {
      saw("composed", "db", db);
      saw("composed", "cache", cache);
    }
  }

  @Test
  void aComposedAnnotationDeclaresItsContainers() {
    Samples.run(Composed.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertThat(ids("db")).hasSize(1).doesNotContainAnyElementsOf(ids("cache"));
    assertThat(ids("cache")).hasSize(1);
    Samples.assertAllRemoved();
  }

  static class Failing {
    @Test
    @Image(value = "busybox:1.35", name = "mine", command = {"sleep", "300"})
    void fails(Container mine) {
      saw("fails", "mine", mine);
      throw new AssertionError("the test failed");
    }
  }

  @Test
  void aFailedTestsContainersAreRemovedToo() {
    Samples.run(Failing.class).testEvents().assertStatistics(s -> s.started(1).failed(1));
    Samples.assertAllRemoved();
  }
}
