package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobOutbox;
import io.imgpress.request.ChangeNumberConcurrencyContract;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.MutableClock;
import java.util.UUID;

/**
 * The change numbers' guarantee on MongoDB: each worker has adapters of its own, as separate
 * processes would, on one server; the per-request lock is released and no call's markers are left.
 */
class MongoChangeNumberConcurrencyTest extends ChangeNumberConcurrencyContract {

  final MutableClock clock = new MutableClock();
  MongoTestServer.Stores stores;

  @Override
  protected void createStore() {
    stores = MongoTestServer.stores(clock);
  }

  @Override
  protected RequestRepository requests() {
    return stores.requests();
  }

  @Override
  protected ImageTransitions worker(int w) {
    return new MongoImageTransitions(stores.store(), stores.outbox(), clock);
  }

  @Override
  protected JobOutbox outbox() {
    return stores.outbox();
  }

  @Override
  protected void assertSettled(UUID requestId) {
    assertThat(stores.store().requests.find(eq("_id", requestId.toString())).first().get("lock"))
        .isNull();
    assertThat(stores.store().images.countDocuments(eq("unsettled", null)))
        .as("no image keeps a call's marker")
        .isEqualTo(stores.store().images.countDocuments());
  }
}
