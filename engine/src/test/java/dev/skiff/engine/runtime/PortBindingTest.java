package dev.skiff.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.image.ImageConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Port bindings as the API, Docker's -p syntax and image configs give them; the launcher's port lines. */
class PortBindingTest {
  @Test
  void parsesDockersPublishSyntax() {
    assertThat(PortBinding.parse("6379")).isEqualTo(PortBinding.tcp(6379));
    assertThat(PortBinding.parse("6379/tcp")).isEqualTo(PortBinding.tcp(6379));
    assertThat(PortBinding.parse("53/udp")).isEqualTo(PortBinding.udp(53));
    PortBinding fixed = PortBinding.parse("8080:80");
    assertThat(fixed).isEqualTo(PortBinding.tcp(80).onHostPort(8080));
    assertThat(fixed.hostPort()).isEqualTo(OptionalInt.of(8080));
    assertThat(fixed).hasToString("8080:80/tcp");
    assertThat(PortBinding.parse("5353:53/udp")).hasToString("5353:53/udp");
    assertThat(PortBinding.tcp(80).hostPort()).isEmpty();
  }

  @Test
  void refusesWhatIsNotABinding() {
    assertThatThrownBy(() -> PortBinding.parse("80/sctp")).hasMessageContaining("use tcp or udp");
    assertThatThrownBy(() -> PortBinding.parse("web")).hasMessageContaining("[HOST_PORT:]CONTAINER_PORT[/udp]");
    assertThatThrownBy(() -> PortBinding.parse("0:80")).hasMessageContaining("host port must be within 1..65535");
    assertThatThrownBy(() -> PortBinding.parse("70000")).hasMessageContaining("container port");
    assertThatThrownBy(() -> PortBinding.tcp(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aContainerPortIsPublishedOncePerProtocolAndAHostPortOnce() {
    ContainerSpec.Builder spec = ContainerSpec.builder("busybox").exposedPorts(80).publish(PortBinding.udp(80));
    assertThatThrownBy(() -> spec.publish(PortBinding.tcp(80).onHostPort(8080)))
        .hasMessageContaining("80/tcp is published twice");
    spec.publish(PortBinding.tcp(81).onHostPort(8080));
    assertThatThrownBy(() -> spec.publish(PortBinding.tcp(82).onHostPort(8080)))
        .hasMessageContaining("Host port 8080 is given to both 8080:81/tcp and 8080:82/tcp");
    assertThat(spec.build().ports())
        .containsExactly(PortBinding.tcp(80), PortBinding.udp(80), PortBinding.tcp(81).onHostPort(8080));
  }

  @Test
  void imageExposedPortsAreAddedUnlessPublishedAlready() throws Exception {
    ImageConfig config = new ImageConfig("linux", "amd64", "", List.of(), List.of(), List.of(), "",
        Set.of("6379/tcp", "8080/tcp", "53/udp"), Map.of(), Optional.empty(), Optional.empty(), List.of());
    ContainerSpec spec = ContainerSpec.builder("x").publish(PortBinding.tcp(8080).onHostPort(9999))
        .publishImageExposedPorts().build();
    assertThat(PortRelay.bindings(spec, config)).containsExactly(PortBinding.tcp(8080).onHostPort(9999),
        PortBinding.udp(53), PortBinding.tcp(6379));
    assertThat(PortRelay.bindings(ContainerSpec.builder("x").build(), config)).isEmpty();
  }

  @Test
  void publishedPortsComeFromTheLaunchersLinesAndNameWhatIsPublished() {
    PublishedPorts ports = PublishedPorts.NONE.with("port\ttcp\t6379\t41234").with("port\tudp\t53\t41000");
    assertThat(ports.asMap()).containsExactly(Map.entry(PortBinding.tcp(6379), 41234),
        Map.entry(PortBinding.udp(53), 41000));
    assertThat(ports.hostPort("redis", 6379, PortBinding.Protocol.TCP)).isEqualTo(41234);
    assertThatThrownBy(() -> ports.hostPort("redis", 53, PortBinding.Protocol.TCP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Container redis does not publish 53/tcp; it publishes 6379/tcp, 53/udp");
    assertThat(ports.toJson().toString()).isEqualTo(
        "[{\"protocol\":\"tcp\",\"container\":6379,\"host\":41234},{\"protocol\":\"udp\",\"container\":53,\"host\":41000}]");
  }
}
