package dev.skiff.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserNamespaceMapTest {
  static final Optional<Path> NEWUIDMAP = Optional.of(Path.of("/usr/bin/newuidmap"));
  static final Optional<Path> NEWGIDMAP = Optional.of(Path.of("/usr/bin/newgidmap"));

  @TempDir Path dir;

  @Test
  void subordinateIdsAreReadByNameOrUidInFileOrder() throws Exception {
    Path subuid = dir.resolve("subuid");
    Files.writeString(subuid, "other:100000:65536\nalice:200000:1000\n# comment\n1001:300000:10\nalice:bad:5\n"
        + "alice:400000:0\n", StandardCharsets.UTF_8);
    assertThat(SubordinateIds.read(subuid, "alice", 1001)).containsExactly(new SubordinateIds.Range(200000, 1000),
        new SubordinateIds.Range(300000, 10));
    assertThat(SubordinateIds.read(subuid, "bob", 7)).isEmpty();
    assertThat(SubordinateIds.read(dir.resolve("missing"), "alice", 1001)).isEmpty();
  }

  @Test
  void rootIsTheUserAndTheRangesFollowInOrder() {
    UserNamespaceMap map = UserNamespaceMap.of(1001, 1002,
        List.of(new SubordinateIds.Range(200000, 1000), new SubordinateIds.Range(300000, 10)),
        List.of(new SubordinateIds.Range(500000, 65536)), NEWUIDMAP, NEWGIDMAP);
    assertThat(map.uids()).containsExactly(new UserNamespaceMap.IdRange(0, 1001, 1),
        new UserNamespaceMap.IdRange(1, 200000, 1000), new UserNamespaceMap.IdRange(1001, 300000, 10));
    assertThat(map.singleId()).isFalse();
    assertThat(map.uidCount()).isEqualTo(1011);
    assertThat(map.mapsUid(1010)).isTrue();
    assertThat(map.mapsUid(1011)).isFalse();
    assertThat(map.mapsGid(65536)).isTrue();
    assertThat(map.mapsGid(65537)).isFalse();
    assertThat(entries(map.addTo(new LauncherSpec()))).containsExactly("userns.uid=0 1001 1",
        "userns.uid=1 200000 1000", "userns.uid=1001 300000 10", "userns.gid=0 1002 1", "userns.gid=1 500000 65536",
        "userns.newuidmap=/usr/bin/newuidmap", "userns.newgidmap=/usr/bin/newgidmap");
  }

  @Test
  void withoutSubordinateIdsOrHelpersOnlyRootIsMapped() {
    List<SubordinateIds.Range> some = List.of(new SubordinateIds.Range(200000, 65536));
    for (UserNamespaceMap map : List.of(
        UserNamespaceMap.of(1001, 1002, List.of(), some, NEWUIDMAP, NEWGIDMAP),
        UserNamespaceMap.of(1001, 1002, some, some, Optional.empty(), NEWGIDMAP))) {
      assertThat(map.singleId()).isTrue();
      assertThat(map.mapsUid(0)).isTrue();
      assertThat(map.mapsUid(1)).isFalse();
      assertThat(entries(map.addTo(new LauncherSpec()))).containsExactly("userns.uid=0 1001 1", "userns.gid=0 1002 1");
    }
  }

  private static List<String> entries(LauncherSpec spec) {
    String framed = new String(spec.frame(), StandardCharsets.UTF_8);
    String body = framed.substring(framed.indexOf('\n') + 1);
    return List.of(body.substring(0, body.length() - 1).split("\0"));
  }
}
