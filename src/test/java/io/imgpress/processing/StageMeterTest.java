package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StageMeterTest {

  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  AtomicInteger queued = new AtomicInteger();
  StageMeter meter = new StageMeter(registry, "codec", queued::get);

  @Test
  void reportsActiveWaitingAndBusyTimeUnderTheStagesTag() throws Exception {
    queued.set(7);
    StageMeter.Span span = meter.begin(3);
    assertThat(gauge(StageMeter.ACTIVE)).isEqualTo(3);
    assertThat(gauge(StageMeter.WAITING)).isEqualTo(7);
    Thread.sleep(20);
    span.close();
    span.close();

    assertThat(gauge(StageMeter.ACTIVE)).isZero();
    assertThat(registry.get(StageMeter.BUSY).tag("stage", "codec").functionCounter().count())
        .isGreaterThanOrEqualTo(0.02)
        .isLessThan(10);
  }

  private double gauge(String name) {
    return registry.get(name).tag("stage", "codec").gauge().value();
  }
}
