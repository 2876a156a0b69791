package io.imgpress.request.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobOutbox.Entry;
import io.imgpress.queue.JobOutbox.Page;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.request.ImageTransitions.Completion;
import io.imgpress.request.ImageTransitions.Failure;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.WebhookStatus;
import io.imgpress.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jobs the MongoDB store records with its state changes, and the open work it derives. */
class MongoJobOutboxTest {

  static final Duration LEASE = Duration.ofSeconds(30);

  MutableClock clock = new MutableClock();
  MongoTestServer.Stores stores;

  @BeforeEach
  void create() {
    stores = MongoTestServer.stores(clock);
  }

  private NewRequest request(String webhook) {
    return new NewRequest(
        UUID.randomUUID(),
        60,
        webhook,
        List.of(
            new NewProduct(7, "SKU7", List.of("http://a.test/1.jpg", "http://a.test/2.jpg")),
            new NewProduct(3, "SKU3", List.of("http://a.test/3.jpg"))));
  }

  private List<Entry> take() {
    return stores.outbox().take(100, LEASE);
  }

  @Test
  void aStagedUploadRecordsItsIntakeJob() {
    NewRequest request = request(null);
    Instant now = clock.instant();
    stores.requests().stage(request);

    List<Entry> entries = take();
    assertThat(entries).hasSize(1);
    assertThat(entries.getFirst().jobs())
        .containsExactly(new Job(JobKind.INTAKE, request.id().toString(), now, 0));
  }

  @Test
  void anExpansionRecordsOneImageJobPerImageInInputOrderRankedByPosition() {
    NewRequest request = request(null);
    stores.requests().stage(request);
    stores.outbox().relayed(take());
    clock.advance(Duration.ofSeconds(1));

    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();

    List<Entry> entries = take();
    assertThat(entries).hasSize(1);
    Instant now = clock.instant();
    assertThat(entries.getFirst().jobs())
        .containsExactly(
            new Job(JobKind.IMAGE, ids.get(0).toString(), now, 0),
            new Job(JobKind.IMAGE, ids.get(1).toString(), now, 1),
            new Job(JobKind.IMAGE, ids.get(2).toString(), now, 2));
    assertThat(stores.requests().expand(request.id())).isEmpty();
    assertThat(take()).as("a repeated expansion records nothing").isEmpty();
  }

  @Test
  void theCallThatFinishesARequestWithAWebhookRecordsItsWebhookJobOnce() {
    NewRequest request = request("http://hook.test/x");
    NewRequest without = request(null);
    List<Long> ids = create(request);
    List<Long> withoutIds = create(without);
    stores.outbox().relayed(take());
    List<Start> starts = new ArrayList<>();
    ids.forEach(id -> starts.add(new Start(id, "w")));
    withoutIds.forEach(id -> starts.add(new Start(id, "w")));
    stores.transitions().startAll(starts);
    stores.transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 1, 1);
    assertThat(take()).as("not final yet").isEmpty();

    stores
        .transitions()
        .record(
            List.of(
                new Failure(ids.get(1), "w", "HTTP 404"),
                new Completion(ids.get(2), "w", "/images/x/3.jpg", 1, 1),
                new Completion(withoutIds.get(0), "w", "/o/1.jpg", 1, 1),
                new Completion(withoutIds.get(1), "w", "/o/2.jpg", 1, 1),
                new Completion(withoutIds.get(2), "w", "/o/3.jpg", 1, 1)));

    List<Entry> entries = take();
    assertThat(entries).hasSize(1);
    assertThat(entries.getFirst().jobs())
        .containsExactly(new Job(JobKind.WEBHOOK, request.id().toString(), clock.instant(), 0));
    assertThat(stores.transitions().complete(ids.get(2), "w", "/images/x/3.jpg", 1, 1).applied())
        .isFalse();
    stores.outbox().relayed(entries);
    assertThat(take()).isEmpty();
  }

  @Test
  void aStagedRequestThatFailsRecordsItsWebhookJob() {
    NewRequest request = request("http://hook.test/x");
    stores.requests().stage(request);
    stores.outbox().relayed(take());

    assertThat(stores.requests().failStaged(request.id(), "cannot be stored")).isTrue();
    assertThat(take())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.jobs())
                    .containsExactly(
                        new Job(JobKind.WEBHOOK, request.id().toString(), clock.instant(), 0)));
    assertThat(stores.requests().failStaged(request.id(), "again")).isFalse();
    assertThat(take()).as("nothing recorded by a call that changed nothing").isEmpty();
  }

  @Test
  void anEntryIsLeasedToOneCallerAndTakenAgainWhenItsRelayDied() {
    NewRequest first = request(null);
    stores.requests().stage(first);
    clock.advance(Duration.ofSeconds(1));
    NewRequest second = request(null);
    stores.requests().stage(second);

    List<Entry> taken = stores.outbox().take(1, LEASE);
    assertThat(taken).hasSize(1);
    assertThat(taken.getFirst().jobs().getFirst().ref())
        .as("oldest first")
        .isEqualTo(first.id().toString());
    assertThat(take())
        .extracting(e -> e.jobs().getFirst().ref())
        .containsExactly(second.id().toString());
    assertThat(take()).as("both leased").isEmpty();

    clock.advance(LEASE.plusSeconds(1));
    List<Entry> again = take();
    assertThat(again).hasSize(2);
    stores.outbox().relayed(again);
    clock.advance(LEASE.plusSeconds(1));
    assertThat(take()).as("relayed entries are gone").isEmpty();
  }

  @Test
  void anEntryWhoseWriterDiedBeforeTheChangeIsRelayedAfterAMinute() {
    String id = stores.outbox().prepare(List.of(new Job(JobKind.INTAKE, "x", clock.instant(), 0)));
    assertThat(take()).as("not ready").isEmpty();
    clock.advance(MongoJobOutbox.STRANDED.minusSeconds(1));
    assertThat(take()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(take()).extracting(Entry::id).containsExactly(id);
  }

  @Test
  void openWorkListsWhatTheStateStillNeedsPageByPage() {
    NewRequest staged = request(null);
    stores.requests().stage(staged);
    NewRequest failedStaged = request("http://hook.test/f");
    stores.requests().stage(failedStaged);
    stores.requests().failStaged(failedStaged.id(), "no");
    NewRequest delivered = request("http://hook.test/d");
    stores.requests().stage(delivered);
    stores.requests().failStaged(delivered.id(), "no");
    stores.webhookLog().record(delivered.id(), WebhookStatus.DELIVERED, 1, null);
    NewRequest running = request(null);
    List<Long> ids = create(running);
    stores.transitions().start(ids.get(0), "w");
    stores.transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 1, 1);
    stores.transitions().start(ids.get(1), "w");

    List<Job> all = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page page = stores.outbox().openWork(cursor, 1);
      all.addAll(page.jobs());
      cursor = page.next();
      pages++;
    } while (cursor != null && pages < 20);

    Instant now = clock.instant();
    assertThat(all)
        .containsExactlyInAnyOrder(
            new Job(JobKind.INTAKE, staged.id().toString(), now, 0),
            new Job(JobKind.WEBHOOK, failedStaged.id().toString(), now, 0),
            new Job(JobKind.IMAGE, ids.get(1).toString(), now, 1),
            new Job(JobKind.IMAGE, ids.get(2).toString(), now, 2));
    Page one = stores.outbox().openWork(null, 100);
    assertThat(one.jobs()).containsExactlyInAnyOrderElementsOf(all);
    assertThat(one.next()).isNull();
  }

  @Test
  void anExpansionOfManyImagesRecordsItsJobsInEntriesOfAtMostTenThousandInRankOrder() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 25_000; i++) {
      urls.add("http://a.test/" + i + ".jpg");
    }
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            60,
            null,
            List.of(
                new NewProduct(1, "A", urls.subList(0, 12_500)),
                new NewProduct(2, "B", urls.subList(12_500, 25_000))));
    stores.requests().stage(request);
    stores.outbox().relayed(take());

    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();

    List<Entry> entries = take();
    assertThat(entries)
        .extracting(e -> e.jobs().size())
        .containsExactly(
            MongoJobOutbox.MAX_JOBS_PER_ENTRY, MongoJobOutbox.MAX_JOBS_PER_ENTRY, 5_000);
    List<Job> jobs = entries.stream().flatMap(e -> e.jobs().stream()).toList();
    assertThat(jobs).extracting(Job::rank).isSorted().doesNotHaveDuplicates().hasSize(25_000);
    assertThat(jobs)
        .extracting(Job::ref)
        .containsExactlyElementsOf(ids.stream().map(Object::toString).toList());
    assertThat(jobs.getLast().rank()).isEqualTo(24_999);
  }

  @Test
  void aStageWhoseRequestCannotBeWrittenRecordsNothingAndLeavesNoStagedRows() {
    NewRequest first = request(null);
    List<Long> ids = create(first);
    stores.outbox().relayed(take());
    // The same id again: its staged rows are gone (expanded), its request document is not.
    NewRequest again = new NewRequest(first.id(), 80, null, request(null).products());

    assertThatThrownBy(() -> stores.requests().stage(again))
        .isInstanceOf(MongoWriteException.class);

    clock.advance(MongoJobOutbox.STRANDED);
    assertThat(take()).as("no intake job, not even a stranded one").isEmpty();
    assertThat(stores.store().staged.countDocuments(Filters.eq("_id", first.id().toString())))
        .isZero();
    assertThat(stores.requests().find(first.id()).orElseThrow().quality()).isEqualTo(60);
    assertThat(stores.requests().products(first.id()))
        .flatExtracting(p -> p.images())
        .hasSize(ids.size());
  }

  @Test
  void aStageWhoseStagedRowsCannotBeWrittenRecordsNothingAndLeavesTheOthersRows() {
    NewRequest first = request(null);
    stores.requests().stage(first);
    stores.outbox().relayed(take());
    NewRequest again = new NewRequest(first.id(), 80, null, request(null).products());

    assertThatThrownBy(() -> stores.requests().stage(again))
        .isInstanceOf(MongoWriteException.class);

    clock.advance(MongoJobOutbox.STRANDED);
    assertThat(take()).isEmpty();
    assertThat(stores.requests().staged(first.id())).isPresent();
    assertThat(stores.requests().expand(first.id())).isPresent();
  }

  private List<Long> create(NewRequest request) {
    stores.requests().stage(request);
    return stores.requests().expand(request.id()).orElseThrow();
  }
}
