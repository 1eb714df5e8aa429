package dev.skiff.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.runtime.Container;
import dev.skiff.engine.runtime.ContainerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** A wrong declaration or request fails naming the test class, the declaration and the fix. */
class MisconfigurationIT {
  /** The messages of everything that failed, tests and classes. */
  static List<String> failures(Class<?> sample) {
    EngineExecutionResults results = Samples.run(sample);
    return results.allEvents().failed().stream()
        .map(Event::getPayload)
        .map(p -> p.orElseThrow())
        .map(p -> ((org.junit.platform.engine.TestExecutionResult) p).getThrowable().orElseThrow().getMessage())
        .toList();
  }

  @Image(value = "busybox:1.35", env = "JUST_A_NAME")
  static class EnvWithoutValue {
    @Test void t() {}
  }

  @Test
  void anEnvEntryWithoutEqualsSign() {
    assertThat(failures(EnvWithoutValue.class)).singleElement().asString()
        .contains("@Image(value = \"busybox:1.35\", env = {\"JUST_A_NAME\"}) on " + EnvWithoutValue.class.getName())
        .contains("env entry 'JUST_A_NAME' is not NAME=value")
        .contains("env = \"JUST_A_NAME=value\"");
  }

  @Image("BusyBox:1.35")
  static class BadReference {
    @Test void t() {}
  }

  @Test
  void aMalformedReference() {
    assertThat(failures(BadReference.class)).singleElement().asString()
        .contains("@Image(\"BusyBox:1.35\") on " + BadReference.class.getName())
        .contains("repository names must be lowercase")
        .contains("try 'busybox:1.35'");
  }

  @Image("skiff-ext/no-such-image:1")
  static class UnknownImage {
    @Test void t() {}
  }

  @Test
  void anImageTheRegistryDoesNotHave() {
    assertThat(failures(UnknownImage.class)).singleElement().asString()
        .startsWith(UnknownImage.class.getName() + ": @Image(\"skiff-ext/no-such-image:1\") on "
            + UnknownImage.class.getName() + " could not start")
        .contains("skiff-ext/no-such-image")
        .contains("Check the image name and tag");
  }

  @Image(value = "busybox:1.35", command = {"sleep", "300"})
  static class UnknownName {
    @Test void t(@Handle("db") Container db) {}
  }

  @Test
  void aParameterNamingNoDeclaredContainer() {
    assertThat(failures(UnknownName.class)).singleElement().asString()
        .contains("Parameter 'arg0' of void " + UnknownName.class.getName() + ".t(")
        .contains("in " + UnknownName.class.getName() + ".t() asks for container 'db'")
        .contains("sees only ['busybox' (@Image(value = \"busybox:1.35\", command = {\"sleep\", \"300\"}) on "
            + UnknownName.class.getName() + ")]")
        .contains("Use one of those names in @Handle, or name the declaration 'db'");
  }

  @Image(value = "busybox:1.35", name = "one", command = {"sleep", "300"})
  @Image(value = "busybox:1.35", name = "two", command = {"sleep", "300"})
  static class Ambiguous {
    @Test void t(Container which) {}
  }

  @Test
  void anUnnamedParameterWhenSeveralContainersAreDeclared() {
    assertThat(failures(Ambiguous.class)).singleElement().asString()
        .contains("asks for a container, but 2 match: ['one'")
        .contains("'two'")
        .contains("Pick one with @Handle(\"name\")");
  }

  static class NothingDeclared {
    @Test void t(@Handle Container c) {}
  }

  @Test
  void aParameterWhenNoContainerIsDeclared() {
    assertThat(failures(NothingDeclared.class)).singleElement().asString()
        .contains(NothingDeclared.class.getName() + ".t() asks for a container, but none is declared for it")
        .contains("Declare one: @Image(");
  }

  static class FieldWithoutSpec {
    @SkiffContainer static ContainerSpec db;

    @Test void t() {}
  }

  @Test
  void aContainerFieldLeftEmpty() {
    assertThat(failures(FieldWithoutSpec.class)).singleElement().asString()
        .contains("@SkiffContainer field " + FieldWithoutSpec.class.getName() + ".db holds null, not a ContainerSpec")
        .contains("ContainerSpec.builder(");
  }

  @Image(value = "redis:7.0", ports = 6380, startupTimeoutSeconds = 2)
  static class PortTheImageDoesNotServe {
    @Test void t() {}
  }

  @Test
  void aPortNothingListensOnSaysWhatListensAndWhatTheImageExposes() {
    assertThat(failures(PortTheImageDoesNotServe.class)).singleElement().asString()
        .contains("@Image(value = \"redis:7.0\", ports = {6380}) on " + PortTheImageDoesNotServe.class.getName())
        .contains("not listening: [6380], listening: [6379]; the image exposes [6379/tcp]");
  }
}
