package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.WorkSignal;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On the real JDBC adapters: a finished request queues its webhook only when it has one. */
class WebhookEnqueuerTest {

  final MutableClock clock = new MutableClock();
  final List<Integer> wakeUps = new ArrayList<>();
  RequestRepository requests;
  JobQueue queue;
  WebhookEnqueuer enqueuer;

  @BeforeEach
  void wire() {
    DataSource ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    queue = JdbcQueues.queue(ds, clock);
    WorkSignal signal =
        new WorkSignal() {
          @Override
          public void jobsAdded(int count) {
            wakeUps.add(count);
          }
        };
    enqueuer = new WebhookEnqueuer(requests, queue, signal, clock);
  }

  private UUID request(String webhookUrl) {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            webhookUrl,
            List.of(new NewProduct(1, "a", List.of("http://o/1.jpg"))));
    requests.stage(request);
    return request.id();
  }

  @Test
  void queuesTheWebhookOfAFinishedRequestThatHasOne() {
    UUID id = request("https://hooks.example.com/done");

    enqueuer.requestFinished(id, RequestStatus.COMPLETED);

    ClaimedJob job = queue.claim(Duration.ofMinutes(1)).orElseThrow();
    assertThat(job.kind()).isEqualTo(JobKind.WEBHOOK);
    assertThat(job.ref()).isEqualTo(id.toString());
    assertThat(wakeUps).containsExactly(1);
  }

  @Test
  void queuesNothingForARequestWithoutWebhook() {
    UUID id = request(null);

    enqueuer.requestFinished(id, RequestStatus.FAILED);

    assertThat(queue.depth().jobs()).isZero();
    assertThat(wakeUps).isEmpty();
  }

  @Test
  void queuesNothingForAnUnknownRequest() {
    enqueuer.requestFinished(UUID.randomUUID(), RequestStatus.COMPLETED);

    assertThat(queue.depth().jobs()).isZero();
    assertThat(wakeUps).isEmpty();
  }
}
