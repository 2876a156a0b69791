package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.OutboxProperties;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.queue.WorkSignal;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * The intake job on the real JDBC adapters: an expansion that cannot succeed ends its request as
 * failed, with a reason, its listeners told and its job gone, instead of running forever.
 */
class IntakeJobHandlerTest {

  static final Duration LEASE = Duration.ofMinutes(10);

  MutableClock clock = new MutableClock();
  RequestRepository requests;
  JobQueue queue;
  OutboxRelay relay;
  List<RequestStatus> finished = new ArrayList<>();
  AtomicInteger expansions = new AtomicInteger();
  RuntimeException expansionFailure;
  IntakeJobHandler handler;

  @BeforeEach
  void wire() {
    DataSource ds = TestDatabase.h2();
    RequestRepository store = JdbcStores.requests(ds, clock);
    // The real store, except that expand can be made to fail like a database in trouble.
    requests =
        (RequestRepository)
            Proxy.newProxyInstance(
                RequestRepository.class.getClassLoader(),
                new Class<?>[] {RequestRepository.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("expand")) {
                    expansions.incrementAndGet();
                    if (expansionFailure != null) {
                      throw expansionFailure;
                    }
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    queue = JdbcQueues.queue(ds, clock);
    relay =
        new OutboxRelay(
            JdbcStores.outbox(ds, clock), queue, new WorkSignal(), OutboxProperties.defaults());
    IntakeProperties d = IntakeProperties.defaults();
    IntakeProperties properties =
        new IntakeProperties(
            d.maxFileSize(),
            d.maxRows(),
            d.maxUrlsPerRow(),
            d.maxImages(),
            d.maxUrlLength(),
            d.maxProductNameLength(),
            d.maxErrors(),
            3,
            Duration.ofSeconds(2),
            Duration.ofMinutes(1));
    handler =
        new IntakeJobHandler(
            requests,
            queue,
            relay,
            List.of((id, status) -> finished.add(status)),
            properties,
            clock);
  }

  /** The queue, once the outbox's jobs are in it. */
  private JobQueue relayed() {
    relay.relayAll();
    return queue;
  }

  private UUID stage(String url) {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            null,
            List.of(new NewProduct(1, "SKU1", List.of("http://a.example/1.jpg", url))));
    requests.stage(request); // with its intake job, in the outbox
    return request.id();
  }

  private ClaimedJob claim() {
    return relayed().claim(EnumSet.of(JobKind.INTAKE), 1, LEASE).getFirst();
  }

  private boolean intakeJobDue() {
    return !relayed().claim(EnumSet.of(JobKind.INTAKE), 1, LEASE).isEmpty();
  }

  @Test
  void expandsAStagedUploadIntoImageJobs() {
    UUID id = stage("http://a.example/2.jpg");

    handler.handle(claim());

    assertThat(requests.products(id)).hasSize(1);
    assertThat(relayed().claim(EnumSet.of(JobKind.IMAGE), 10, LEASE)).hasSize(2);
    assertThat(relayed().depth().jobs()).as("the intake job is done").isEqualTo(2);
    assertThat(finished).isEmpty();
  }

  @Test
  void theIntakeJobOfARequestDeletedBeforeItsExpansionCompletesWithoutATrace() {
    UUID id = stage("http://a.example/2.jpg");
    relayed(); // the intake job reached the queue before the deletion
    assertThat(requests.delete(id, clock.instant())).isTrue();

    handler.handle(claim());

    assertThat(requests.find(id)).isEmpty();
    assertThat(requests.products(id)).isEmpty();
    assertThat(finished).isEmpty();
    assertThat(relayed().depth().jobs()).as("no job left, none queued").isZero();
    assertThat(expansions).hasValue(1);
  }

  @Test
  void aValueTheDatabaseRefusesFailsTheRequestAtOnceWithAReadableReason() {
    // Longer than images.input_url holds, as if it had slipped past validation.
    UUID id = stage("http://a.example/" + "x".repeat(5000));

    handler.handle(claim());

    Request request = requests.find(id).orElseThrow();
    assertThat(request.status()).isEqualTo(RequestStatus.FAILED);
    assertThat(request.error())
        .startsWith("the upload could not be stored for processing: Value too long for column")
        .contains("INPUT_URL")
        .doesNotContain("SQL statement")
        .hasSizeLessThanOrEqualTo(500);
    assertThat(request.processedImages()).isEqualTo(2);
    assertThat(request.failedImages()).isEqualTo(2);
    assertThat(finished).containsExactly(RequestStatus.FAILED);
    assertThat(relayed().depth().jobs()).as("nothing left to run").isZero();
    assertThat(expansions).hasValue(1);
  }

  @Test
  void anExpansionThatKeepsFailingIsRetriedWithBackoffThenFailsTheRequest() {
    UUID id = stage("http://a.example/2.jpg");
    expansionFailure = new TransientDataAccessResourceException("connection reset");

    handler.handle(claim());
    assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PENDING);
    assertThat(intakeJobDue()).as("not before its backoff").isFalse();
    clock.advance(Duration.ofSeconds(3));
    handler.handle(claim());
    assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PENDING);
    clock.advance(Duration.ofSeconds(5));
    handler.handle(claim());

    Request request = requests.find(id).orElseThrow();
    assertThat(request.status()).isEqualTo(RequestStatus.FAILED);
    assertThat(request.error())
        .isEqualTo("the upload could not be processed after 3 attempts: connection reset");
    assertThat(finished).containsExactly(RequestStatus.FAILED);
    assertThat(relayed().depth().jobs()).isZero();
    assertThat(expansions).hasValue(3);
  }

  @Test
  void anExpansionThatSucceedsOnARetryQueuesItsImages() {
    UUID id = stage("http://a.example/2.jpg");
    expansionFailure = new TransientDataAccessResourceException("connection reset");
    handler.handle(claim());

    expansionFailure = null;
    clock.advance(Duration.ofSeconds(3));
    handler.handle(claim());

    assertThat(requests.find(id).orElseThrow().status()).isEqualTo(RequestStatus.PENDING);
    assertThat(requests.products(id)).hasSize(1);
    assertThat(finished).isEmpty();
  }

  @Test
  void aJobWhoseWorkersKeptDyingFailsItsRequestWithoutAnotherTry() {
    UUID id = stage("http://a.example/2.jpg");
    for (int i = 0; i < 3; i++) {
      claim(); // a worker took it and died: no outcome, the lease runs out
      clock.advance(LEASE.plusSeconds(1));
    }

    handler.handle(claim());

    Request request = requests.find(id).orElseThrow();
    assertThat(request.status()).isEqualTo(RequestStatus.FAILED);
    assertThat(request.error()).contains("stopped 3 times without an outcome");
    assertThat(expansions).hasValue(0);
    assertThat(finished).containsExactly(RequestStatus.FAILED);
    assertThat(relayed().depth().jobs()).isZero();
  }
}
