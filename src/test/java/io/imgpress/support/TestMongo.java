package io.imgpress.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * The MongoDB of the tests: mongo-java-server (memory backend) in this JVM on a loopback port of
 * its own, which the real driver reaches over the wire protocol, also from the service processes a
 * test starts. No MongoDB server can be installed here; the README says what this does not prove.
 */
public final class TestMongo {

  private static MongoServer server;

  private TestMongo() {}

  /** {@code mongodb://127.0.0.1:port} of the JVM's one server, started on first use. */
  public static synchronized String uri() {
    if (server == null) {
      server = new MongoServer(new MemoryBackend());
      server.bind("127.0.0.1", 0);
      MongoServer started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(started::shutdownNow));
    }
    InetSocketAddress address = server.getLocalAddress();
    return "mongodb://" + address.getHostString() + ":" + address.getPort();
  }
}
