package io.imgpress.request.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.UUID;

/**
 * The MongoDB of the store tests: mongo-java-server (memory backend) in this JVM, on a loopback
 * port of its own, reached through the real driver over the wire protocol. It has no transactions,
 * which the adapters do not use. One server for the JVM; each test takes a database of its own.
 */
final class MongoTestServer {

  private static MongoServer server;
  private static MongoClient client;

  private MongoTestServer() {}

  static synchronized String uri() {
    if (server == null) {
      server = new MongoServer(new MemoryBackend());
      server.bind("127.0.0.1", 0);
      client = MongoClients.create(uriOf(server.getLocalAddress()));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    client.close();
                    server.shutdownNow();
                  }));
    }
    return uriOf(server.getLocalAddress());
  }

  private static String uriOf(InetSocketAddress address) {
    return "mongodb://" + address.getHostString() + ":" + address.getPort();
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
