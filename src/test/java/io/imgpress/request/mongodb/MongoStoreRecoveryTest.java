package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.ImageTransitions.Completion;
import io.imgpress.request.ImageTransitions.Failure;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.imgpress.support.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without transactions a process can die between two writes of one call: what it leaves behind is
 * finished or repaired by the next call, never counted twice nor lost.
 */
class MongoStoreRecoveryTest {

  MutableClock clock = new MutableClock();
  MongoTestServer.Stores stores;
  NewRequest request =
      new NewRequest(
          UUID.randomUUID(),
          50,
          "http://hook.test/x",
          List.of(
              new NewProduct(1, "a", List.of("http://x/1", "http://x/2")),
              new NewProduct(2, "b", List.of("http://x/3"))));

  @BeforeEach
  void create() {
    stores = MongoTestServer.stores(clock);
  }

  @Test
  void anExpansionThatDiedBeforeItsFlipIsRepeatedWithTheSameIdsAndNoDuplicates() {
    stores.requests().stage(request);
    String id = request.id().toString();
    Document staged = stores.store().staged.find(eq("_id", id)).first();
    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();
    // As if it had died after inserting products and images, before flipping the request.
    stores.store().requests.updateOne(eq("_id", id), Updates.set("expanded", false));
    stores.store().staged.insertOne(staged);
    assertThat(stores.requests().products(request.id())).as("not part of the request").isEmpty();
    assertThat(stores.requests().staged(request.id())).isPresent();

    assertThat(stores.requests().expand(request.id())).contains(ids);
    assertThat(stores.requests().products(request.id()))
        .flatExtracting(Product::images)
        .extracting(Product.Image::imageId)
        .containsExactlyElementsOf(ids);
    assertThat(stores.store().images.countDocuments(eq("requestId", id))).isEqualTo(3);
    assertThat(stores.store().products.countDocuments(eq("requestId", id))).isEqualTo(2);
    assertThat(stores.requests().staged(request.id())).isEmpty();
  }

  @Test
  void aStagedRequestThatFailedLeavesNoImagesOfALosingExpansion() {
    stores.requests().stage(request);
    String id = request.id().toString();
    Document staged = stores.store().staged.find(eq("_id", id)).first();
    stores.requests().expand(request.id()).orElseThrow();
    stores.store().requests.updateOne(eq("_id", id), Updates.set("expanded", false));
    stores.store().staged.insertOne(staged);

    assertThat(stores.requests().failStaged(request.id(), "gave up")).isTrue();
    assertThat(stores.store().images.countDocuments(eq("requestId", id))).isZero();
    assertThat(stores.requests().expand(request.id())).isEmpty();
    assertThat(stores.outbox().openWork(null, 100).jobs())
        .as("only its webhook")
        .extracting(j -> j.kind().name())
        .containsExactly("WEBHOOK");
  }

  @Test
  void aCallThatDiedUnderTheLockIsSettledByTheNextWithNothingLostForReaders() {
    stores.requests().stage(request);
    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();
    String id = request.id().toString();
    stores.transitions().start(ids.get(0), "w");
    stores.transitions().start(ids.get(1), "w");
    long seen = changeNumber();
    assertThat(seen).isEqualTo(2);
    // A call took the lock, completed image 1 with the next number and died before settling.
    stores
        .store()
        .requests
        .updateOne(
            eq("_id", id),
            Updates.set(
                "lock",
                new Document("owner", "dead")
                    .append("until", MongoStore.date(clock.instant().plusSeconds(10)))));
    stores
        .store()
        .images
        .updateOne(
            eq("_id", ids.get(1)),
            Updates.combine(
                Updates.set("status", ImageStatus.COMPLETED.name()),
                Updates.unset("owner"),
                Updates.set("changeNumber", seen + 1)));
    assertThat(changeNumber()).as("not published").isEqualTo(seen);
    clock.advance(MongoImageTransitions.LEASE);

    assertThat(stores.transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 1, 1).applied())
        .isTrue();

    Request settled = stores.requests().find(request.id()).orElseThrow();
    assertThat(settled.processedImages()).as("both counted once").isEqualTo(2);
    assertThat(settled.status()).isEqualTo(RequestStatus.PROCESSING);
    assertThat(stores.requests().imagesChanged(request.id(), seen, settled.changeNumber()))
        .extracting(Product.Image::imageId)
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(stores.store().requests.find(eq("_id", id)).first().get("lock")).isNull();

    stores.transitions().start(ids.get(2), "w");
    assertThat(stores.transitions().fail(ids.get(2), "w", "HTTP 404").finishedRequest()).isTrue();
    Request done = stores.requests().find(request.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RequestStatus.COMPLETED);
    assertThat(done.processedImages()).isEqualTo(3);
    assertThat(done.failedImages()).isEqualTo(1);
  }

  @Test
  void aHeldLockMakesOtherCallsWaitUntilItsLeaseRunsOut() throws Exception {
    stores.requests().stage(request);
    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();
    stores
        .store()
        .requests
        .updateOne(
            eq("_id", request.id().toString()),
            Updates.set(
                "lock",
                new Document("owner", "slow")
                    .append("until", MongoStore.date(clock.instant().plusSeconds(5)))));
    Thread call = Thread.ofVirtual().start(() -> stores.transitions().start(ids.get(0), "w"));
    call.join(300);
    assertThat(call.isAlive()).as("waits for the lock").isTrue();
    assertThat(changeNumber()).isZero();
    clock.advance(MongoImageTransitions.LEASE);
    call.join(10_000);
    assertThat(call.isAlive()).isFalse();
    assertThat(changeNumber()).isEqualTo(1);
  }

  /** The call that takes the lock first stalls past its lease, then dies before settling. */
  private final class Stall implements MongoImageTransitions.Pauses {
    final Runnable meanwhile;
    boolean armed = true;
    boolean kill;
    long publishedMeanwhile;

    Stall(Runnable meanwhile) {
      this.meanwhile = meanwhile;
    }

    @Override
    public void beforeImageWrites(String requestId) {
      if (armed) {
        armed = false;
        // Its lease runs out before its image writes land; another call takes the lock over,
        // recounts, publishes and releases the lock normally; readers may catch up to
        // what it published.
        clock.advance(MongoImageTransitions.LEASE);
        meanwhile.run();
        publishedMeanwhile = changeNumber();
        kill = true;
      }
    }

    @Override
    public void beforeSettle(String requestId) {
      if (kill) {
        kill = false;
        throw new IllegalStateException("killed");
      }
    }
  }

  @Test
  void aCallThatOutlivedItsLeaseAndDiedBeforeSettlingIsRepairedByTheNextCall() {
    stores.requests().stage(request);
    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();
    stores.transitions().startAll(ids.stream().map(id -> new Start(id, "w")).toList());
    Stall stall =
        new Stall(() -> stores.transitions().complete(ids.get(1), "w", "/images/x/2.jpg", 1, 1));
    stores.transitions().pauses(stall);

    assertThatThrownBy(
            () -> stores.transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 1, 1))
        .hasMessage("killed");
    assertThat(stores.requests().find(request.id()).orElseThrow().processedImages()).isEqualTo(1);

    Outcome last = stores.transitions().fail(ids.get(2), "w", "HTTP 404");

    assertThat(last.applied()).isTrue();
    Request done = stores.requests().find(request.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RequestStatus.COMPLETED);
    assertThat(done.processedImages()).isEqualTo(3);
    assertThat(done.failedImages()).isEqualTo(1);
    assertThat(last.finishedRequest()).isTrue();
    assertThat(
            stores
                .requests()
                .imagesChanged(request.id(), stall.publishedMeanwhile, done.changeNumber()))
        .as("what the dead call wrote after the reader caught up reaches the reader")
        .extracting(Product.Image::imageId)
        .containsExactly(ids.get(0), ids.get(2));
    assertThat(webhookJobs()).containsExactly(request.id().toString());
    assertNoMarkers();
  }

  @Test
  void aLastCallThatOutlivedItsLeaseAndDiedIsRepairedByTheOpenWorkPass() {
    stores.requests().stage(request);
    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();
    stores.transitions().startAll(ids.stream().map(id -> new Start(id, "w")).toList());
    Stall stall =
        new Stall(
            () ->
                stores
                    .transitions()
                    .record(
                        List.of(
                            new Completion(ids.get(1), "w", "/images/x/2.jpg", 1, 1),
                            new Failure(ids.get(2), "w", "HTTP 404"))));
    stores.transitions().pauses(stall);
    assertThatThrownBy(
            () -> stores.transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 1, 1))
        .hasMessage("killed");
    stores.transitions().pauses(MongoImageTransitions.Pauses.NONE);
    assertThat(stores.requests().find(request.id()).orElseThrow().processedImages()).isEqualTo(2);

    clock.advance(MongoImageTransitions.LEASE);

    List<Job> open = stores.outbox().openWork(null, 100).jobs();

    Request done = stores.requests().find(request.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RequestStatus.COMPLETED);
    assertThat(done.processedImages()).isEqualTo(3);
    assertThat(done.failedImages()).isEqualTo(1);
    assertThat(
            stores
                .requests()
                .imagesChanged(request.id(), stall.publishedMeanwhile, done.changeNumber()))
        .extracting(Product.Image::imageId)
        .containsExactly(ids.get(0));
    assertThat(open)
        .containsExactly(new Job(JobKind.WEBHOOK, request.id().toString(), clock.instant(), 0));
    assertThat(webhookJobs()).containsExactly(request.id().toString());
    assertNoMarkers();
  }

  @Test
  void theMarkersOfTheCallThatSettledLastAreLeftToItAndClearedLaterIfItDied() {
    stores.requests().stage(request);
    List<Long> ids = stores.requests().expand(request.id()).orElseThrow();
    String id = request.id().toString();
    stores.transitions().startAll(ids.stream().map(i -> new Start(i, "w")).toList());
    stores.transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 1, 1);
    long stamped = changeNumber();
    // As if it had settled and died before clearing its marker.
    String settledCall =
        stores.store().requests.find(Filters.eq("_id", id)).first().getString("settledCall");
    assertThat(settledCall).isNotNull();
    stores
        .store()
        .images
        .updateOne(
            Filters.eq("_id", ids.get(0)),
            Updates.set(
                "unsettled",
                new Document("call", settledCall).append("at", MongoStore.date(clock.instant()))));

    stores.transitions().complete(ids.get(1), "w", "/images/x/2.jpg", 1, 1);
    assertThat(imageChangeNumber(ids.get(0))).as("not adopted: it was counted").isEqualTo(stamped);
    clock.advance(MongoImageTransitions.LEASE);
    stores.outbox().openWork(null, 100);

    assertNoMarkers();
    Request request = stores.requests().find(this.request.id()).orElseThrow();
    assertThat(request.processedImages()).isEqualTo(2);
    assertThat(request.status()).isEqualTo(RequestStatus.PROCESSING);
    assertThat(stores.store().requests.find(Filters.eq("_id", id)).first().get("lock")).isNull();
  }

  private long imageChangeNumber(long imageId) {
    return stores.store().images.find(Filters.eq("_id", imageId)).first().getLong("changeNumber");
  }

  private List<String> webhookJobs() {
    clock.advance(MongoJobOutbox.STRANDED);
    return stores.outbox().take(100, Duration.ofSeconds(30)).stream()
        .flatMap(e -> e.jobs().stream())
        .filter(j -> j.kind() == JobKind.WEBHOOK)
        .map(Job::ref)
        .toList();
  }

  private void assertNoMarkers() {
    assertThat(stores.store().images.countDocuments(Filters.exists("unsettled"))).isZero();
  }

  private long changeNumber() {
    return stores.requests().find(request.id()).orElseThrow().changeNumber();
  }
}
