package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Updates;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestStatus;
import io.imgpress.support.MutableClock;
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

  private long changeNumber() {
    return stores.requests().find(request.id()).orElseThrow().changeNumber();
  }
}
