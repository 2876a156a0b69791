package io.imgpress.request;

import java.util.UUID;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code requestStore}: a lookup through the repository, so it covers its schema, not just JDBC.
 */
@Component
class RequestStoreHealthIndicator extends AbstractHealthIndicator {

  // No request has the nil UUID: a primary-key miss is the cheapest query the store can answer.
  private static final UUID PROBE = new UUID(0, 0);

  private final RequestRepository requests;

  RequestStoreHealthIndicator(RequestRepository requests) {
    super("Request store health check failed");
    this.requests = requests;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    requests.find(PROBE);
    builder.up();
  }
}
