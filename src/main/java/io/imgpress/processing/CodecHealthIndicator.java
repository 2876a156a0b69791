package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code codec}: which engine compresses the images. An engine that cannot work fails at start, so
 * this only tells operators which one an instance runs.
 */
@ConditionalOnWorkerRole
@Component
class CodecHealthIndicator extends AbstractHealthIndicator {

  private final Codec codec;

  CodecHealthIndicator(Codec codec) {
    this.codec = codec;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder.up().withDetail("engine", codec.getClass().getSimpleName());
  }
}
