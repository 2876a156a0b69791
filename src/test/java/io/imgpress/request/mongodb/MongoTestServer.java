package io.imgpress.request.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.imgpress.support.TestMongo;
import java.time.Clock;
import java.util.UUID;

/**
 * The MongoDB of the store tests ({@link TestMongo}), reached through the real driver over the wire
 * protocol. It has no transactions, which the adapters do not use. Each test takes a database of
 * its own.
 */
final class MongoTestServer {

  private static MongoClient client;

  private MongoTestServer() {}

  static synchronized String uri() {
    String uri = TestMongo.uri();
    if (client == null) {
      client = MongoClients.create(uri);
    }
    return uri;
  }

  /** A new, empty database. */
  static MongoDatabase freshDatabase() {
    uri();
    return client.getDatabase("t" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** The adapters of one store on a fresh database. */
  record Stores(
      MongoStore store,
      MongoJobOutbox outbox,
      MongoRequestRepository requests,
      MongoImageTransitions transitions,
      MongoWebhookLog webhookLog) {}

  static Stores stores(Clock clock) {
    MongoStore store = new MongoStore(freshDatabase());
    MongoJobOutbox outbox = new MongoJobOutbox(store, clock);
    return new Stores(
        store,
        outbox,
        new MongoRequestRepository(store, outbox, clock),
        new MongoImageTransitions(store, outbox, clock),
        new MongoWebhookLog(store));
  }
}
