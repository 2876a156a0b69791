package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay from a real store's outbox to a real queue, and what it does when the queue fails. */
class OutboxRelayTest {

  final MutableClock clock = new MutableClock();
  final List<Integer> signalled = new ArrayList<>();
  final WorkSignal signal =
      new WorkSignal() {
        @Override
        public void jobsAdded(int count) {
          signalled.add(count);
        }
      };
  RequestRepository requests;
  JobOutbox outbox;
  JobQueue queue;
  OutboxRelay relay;

  @BeforeEach
  void wire() {
    DataSource ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    outbox = JdbcStores.outbox(ds, clock);
    queue = JdbcQueues.queue(ds, clock);
    relay = new OutboxRelay(outbox, queue, signal, OutboxProperties.defaults());
  }

  @AfterEach
  void stop() {
    relay.stop();
  }

  private UUID stage(int images) {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      urls.add("http://a.test/" + i + ".jpg");
    }
    NewRequest request =
        new NewRequest(UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "SKU", urls)));
    requests.stage(request);
    return request.id();
  }

  private List<String> claimAll() {
    return queue.claim(EnumSet.allOf(JobKind.class), 10_000, Duration.ofMinutes(1)).stream()
        .map(ClaimedJob::ref)
        .toList();
  }

  @Test
  void relaysEveryEntryInBatchesAndWakesTheWorkers() {
    UUID id = stage(2500);
    List<Long> images = requests.expand(id).orElseThrow();

    assertThat(relay.relayAll()).isEqualTo(2501);

    assertThat(claimAll()).hasSize(2501).contains(id.toString(), images.getLast().toString());
    assertThat(signalled).containsExactly(1000, 1000, 501);
    assertThat(relay.relayAll()).as("relayed entries are gone from the outbox").isZero();
  }

  @Test
  void aQueueThatFailsLosesNothing() {
    UUID id = stage(1);
    JobQueue failing =
        (JobQueue)
            Proxy.newProxyInstance(
                JobQueue.class.getClassLoader(),
                new Class<?>[] {JobQueue.class},
                (p, method, args) -> {
                  throw new IllegalStateException("queue unavailable");
                });
    OutboxRelay broken = new OutboxRelay(outbox, failing, signal, OutboxProperties.defaults());

    assertThatThrownBy(broken::relayAll).hasMessage("queue unavailable");
    assertThat(relay.relayAll()).as("leased to the relay that failed").isZero();

    clock.advance(OutboxProperties.defaults().lease().plusSeconds(1));
    assertThat(relay.relayAll()).isEqualTo(1);
    assertThat(claimAll()).containsExactly(id.toString());
  }

  @Test
  void aKickRelaysAtOnceWithoutWaitingForThePoll() throws InterruptedException {
    relay =
        new OutboxRelay(
            outbox,
            queue,
            signal,
            new OutboxProperties(
                Duration.ofMinutes(10), 1000, Duration.ofSeconds(30), Duration.ofMinutes(1)));
    relay.start();
    Thread.sleep(200); // its first pass, over an empty outbox, is done
    UUID id = stage(1);

    relay.kick();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> claimed = List.of();
    while (claimed.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      claimed = claimAll();
    }
    assertThat(claimed).containsExactly(id.toString());
  }
}
