package io.imgpress.request.mongodb;

import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStoreContract;
import io.imgpress.support.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/** The request store contract on MongoDB (mongo-java-server through the real driver). */
class MongoRequestStoreTest extends RequestStoreContract {

  MutableClock clock = new MutableClock();
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
  protected void advanceClock() {
    clock.advance(Duration.ofSeconds(1));
  }
}
