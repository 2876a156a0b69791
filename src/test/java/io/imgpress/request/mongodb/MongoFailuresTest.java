package io.imgpress.request.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.imgpress.request.RequestRepository;
import io.imgpress.support.MutableClock;
import java.net.InetSocketAddress;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A MongoDB that went away is reported as the JDBC store reports a database it cannot reach, which
 * the API answers with 503; other failures are not disguised.
 */
class MongoFailuresTest {

  @Test
  void aServerThatStoppedIsAnUnreachableDatabase() {
    MongoServer server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    String uri =
        "mongodb://127.0.0.1:%d/down?serverSelectionTimeoutMS=3000".formatted(address.getPort());
    try (MongoClient client = MongoClients.create(uri)) {
      MongoStore store = new MongoStore(client.getDatabase("down"));
      MutableClock clock = new MutableClock();
      RequestRepository requests =
          MongoFailures.translated(
              RequestRepository.class,
              new MongoRequestRepository(store, new MongoJobOutbox(store, clock), clock));
      UUID id = UUID.randomUUID();
      assertThat(requests.find(id)).isEmpty();

      server.shutdownNow();

      assertThatThrownBy(() -> requests.find(id))
          .isInstanceOf(DataAccessResourceFailureException.class)
          .hasMessage("MongoDB cannot be reached")
          .cause()
          .isInstanceOf(com.mongodb.MongoException.class);
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void otherFailuresPassThroughUnchanged() {
    IllegalStateException bug = new IllegalStateException("a bug");
    RequestRepository failing =
        MongoFailures.translated(
            RequestRepository.class,
            (RequestRepository)
                java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {RequestRepository.class},
                    (proxy, method, args) -> {
                      throw bug;
                    }));

    assertThatThrownBy(() -> failing.find(UUID.randomUUID())).isSameAs(bug);
  }
}
