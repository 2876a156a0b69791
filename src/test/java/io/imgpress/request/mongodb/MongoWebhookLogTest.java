package io.imgpress.request.mongodb;

import io.imgpress.request.RequestRepository;
import io.imgpress.request.WebhookLog;
import io.imgpress.request.WebhookLogContract;
import io.imgpress.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;

/** The webhook log contract on MongoDB (mongo-java-server through the real driver). */
class MongoWebhookLogTest extends WebhookLogContract {

  MongoTestServer.Stores stores;

  @BeforeEach
  void create() {
    stores = MongoTestServer.stores(new MutableClock());
  }

  @Override
  protected WebhookLog webhookLog() {
    return stores.webhookLog();
  }

  @Override
  protected RequestRepository requests() {
    return stores.requests();
  }
}
