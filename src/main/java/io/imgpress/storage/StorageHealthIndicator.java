package io.imgpress.storage;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** {@code storage}: outputs can be written, or every image would fail at its last step. */
@Component
class StorageHealthIndicator extends AbstractHealthIndicator {

  private final ImageStore store;

  StorageHealthIndicator(ImageStore store) {
    super("Image store health check failed");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    store.checkHealth();
    builder.up().withDetail("store", store.getClass().getSimpleName());
  }
}
