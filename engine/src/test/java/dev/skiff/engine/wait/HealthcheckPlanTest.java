package dev.skiff.engine.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.engine.image.ImageConfig.Healthcheck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthcheckPlanTest {
  static Optional<Healthcheck> check(List<String> test, long intervalMillis, long timeoutMillis, long startMillis,
      int retries) {
    return Optional.of(new Healthcheck(test, Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis),
        Duration.ofMillis(startMillis), retries));
  }

  @Test
  void cmdRunsItsArgumentsAsGiven() {
    HealthcheckPlan plan = HealthcheckPlan.of(check(List.of("CMD", "redis-cli", "ping"), 500, 2000, 1000, 5), "r");
    assertThat(plan.command()).containsExactly("redis-cli", "ping");
    assertThat(plan.interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(plan.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(plan.startPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(plan.retries()).isEqualTo(5);
  }

  @Test
  void cmdShellRunsThroughBinSh() {
    HealthcheckPlan plan = HealthcheckPlan.of(check(List.of("CMD-SHELL", "wget -q -O- localhost || exit 1"), 0, 0, 0,
        0), "web");
    assertThat(plan.command()).containsExactly("/bin/sh", "-c", "wget -q -O- localhost || exit 1");
  }

  @Test
  void zerosTakeDockersDefaults() {
    HealthcheckPlan plan = HealthcheckPlan.of(check(List.of("CMD", "true"), 0, 0, 0, 0), "img");
    assertThat(plan.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(plan.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(plan.startPeriod()).isZero();
    assertThat(plan.retries()).isEqualTo(3);
  }

  @Test
  void noneAndMissingAndMalformedChecksAreRefusedNamingTheImage() {
    assertThatThrownBy(() -> HealthcheckPlan.of(check(List.of("NONE"), 0, 0, 0, 0), "app:1"))
        .hasMessageContaining("app:1 disables its HEALTHCHECK (NONE)");
    assertThatThrownBy(() -> HealthcheckPlan.of(Optional.empty(), "app:1"))
        .hasMessageContaining("app:1 has no HEALTHCHECK");
    assertThatThrownBy(() -> HealthcheckPlan.of(check(List.of("RUN", "x"), 0, 0, 0, 0), "app:1"))
        .hasMessageContaining("should start with CMD, CMD-SHELL or NONE");
    assertThatThrownBy(() -> HealthcheckPlan.of(check(List.of("CMD"), 0, 0, 0, 0), "app:1"))
        .hasMessageContaining("has no command");
  }
}
