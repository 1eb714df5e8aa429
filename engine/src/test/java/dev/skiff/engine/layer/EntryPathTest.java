package dev.skiff.engine.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntryPathTest {
  @ParameterizedTest(name = "''{0}'' -> ''{1}''")
  @CsvSource({
    "etc/passwd, etc/passwd",
    "./etc/passwd, etc/passwd",
    "/etc/passwd, etc/passwd",
    "etc/, etc",
    "./, ''",
    "., ''",
    "/, ''",
    "a//b/./c/, a/b/c",
    "a//, a",
    "a/.../b, a/.../b",
    "a/b/../c, a/c",
    "a/.., ''",
    "..a/b.., ..a/b..",
    ".wh..wh..opq, .wh..wh..opq",
  })
  void normalisesNamesRelativeToTheRoot(String name, String expected) throws UnsafeEntryException {
    assertThat(EntryPath.normalize(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../x", "a/../../x", "/../x", "./../x", "a/b/../../.."})
  void refusesNamesThatClimbAboveTheRoot(String name) {
    assertThatThrownBy(() -> EntryPath.normalize(name))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessageContaining("climbs out of the layer root");
  }
}
