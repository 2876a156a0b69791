package io.imgpress.request.mongodb;

import io.imgpress.queue.JobOutbox;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.JobOutboxContract;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

/** The outbox contract every store keeps, on MongoDB (mongo-java-server). */
class MongoJobOutboxContractTest extends JobOutboxContract {

  final MutableClock clock = new MutableClock();
  MongoTestServer.Stores stores;

  @BeforeEach
  void create() {
    stores = MongoTestServer.stores(clock);
  }

  @Override
  protected RequestRepository requests() {
    return stores.requests();
  }

  @Override
  protected ImageTransitions transitions() {
    return stores.transitions();
  }

  @Override
  protected JobOutbox outbox() {
    return stores.outbox();
  }

  @Override
  protected Instant now() {
    return clock.instant();
  }

  @Override
  protected void advance(Duration duration) {
    clock.advance(duration);
  }
}
