package io.imgpress.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imgpress.request.ImageTransitions.Change;
import io.imgpress.request.ImageTransitions.Completion;
import io.imgpress.request.ImageTransitions.Failure;
import io.imgpress.request.ImageTransitions.HandBack;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.ImageTransitions.Retry;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.NewRequest.NewProduct;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every adapter of {@link RequestRepository} and {@link ImageTransitions} must do together;
 * each adapter's test extends this.
 */
public abstract class RequestStoreContract {

  protected abstract RequestRepository requests();

  protected abstract ImageTransitions transitions();

  private NewRequest twoProducts(String webhook) {
    return new NewRequest(
        UUID.randomUUID(),
        60,
        webhook,
        List.of(
            new NewProduct(7, "SKU7", List.of("http://a.test/1.jpg", "http://a.test/2.jpg")),
            new NewProduct(3, "SKU3", List.of("http://a.test/3.jpg"))));
  }

  /** Stages and expands, as an upload and its intake job do. */
  private List<Long> create(NewRequest request) {
    requests().stage(request);
    return requests().expand(request.id()).orElseThrow();
  }

  @Test
  void aStagedRequestHasItsRowsButNoProductsUntilExpanded() {
    NewRequest request = twoProducts(null);
    requests().stage(request);

    Request stored = requests().find(request.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(RequestStatus.PENDING);
    assertThat(stored.totalImages()).isEqualTo(3);
    assertThat(requests().products(request.id())).isEmpty();
    StagedUpload staged = requests().staged(request.id()).orElseThrow();
    assertThat(staged.products()).isEqualTo(request.products());

    List<Long> ids = requests().expand(request.id()).orElseThrow();
    assertThat(ids).hasSize(3);
    assertThat(requests().staged(request.id())).isEmpty();
    assertThat(requests().products(request.id())).hasSize(2);
    assertThat(requests().expand(request.id())).as("a repeated expansion does nothing").isEmpty();
    assertThat(requests().products(request.id())).hasSize(2);
  }

  @Test
  void aStagedRequestThatCannotBeExpandedFailsForGoodWithItsReason() {
    NewRequest request = twoProducts("http://hook.test/x");
    requests().stage(request);
    advanceClock();

    assertThat(requests().failStaged(request.id(), "the upload could not be stored")).isTrue();

    Request failed = requests().find(request.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(RequestStatus.FAILED);
    assertThat(failed.error()).isEqualTo("the upload could not be stored");
    assertThat(failed.processedImages()).as("every image is final").isEqualTo(3);
    assertThat(failed.failedImages()).isEqualTo(3);
    assertThat(failed.updatedAt()).isAfter(failed.createdAt());
    assertThat(requests().staged(request.id())).as("its rows stay for display").isPresent();
    assertThat(requests().expand(request.id())).as("and are never expanded").isEmpty();
    assertThat(requests().products(request.id())).isEmpty();
    assertThat(requests().failStaged(request.id(), "again")).as("a final request").isFalse();
    assertThat(requests().find(request.id()).orElseThrow().error())
        .isEqualTo("the upload could not be stored");
  }

  @Test
  void onlyAStagedRequestCanFailSo() {
    NewRequest expanded = twoProducts(null);
    create(expanded);

    assertThat(requests().failStaged(expanded.id(), "too late")).isFalse();
    assertThat(requests().find(expanded.id()).orElseThrow().status())
        .isEqualTo(RequestStatus.PENDING);
    assertThat(requests().find(expanded.id()).orElseThrow().error()).isNull();
    assertThat(requests().failStaged(UUID.randomUUID(), "unknown")).isFalse();
  }

  @Test
  void aLongReasonIsShortenedToFit() {
    NewRequest request = twoProducts(null);
    requests().stage(request);

    requests().failStaged(request.id(), "x".repeat(5000));

    assertThat(requests().find(request.id()).orElseThrow().error()).hasSizeLessThanOrEqualTo(500);
  }

  @Test
  void stagedRowsKeepAwkwardNamesIntact() {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            null,
            List.of(
                new NewProduct(1, "tab\there, \"quoted\"\nnew line \\ é", List.of("http://x/1"))));
    requests().stage(request);
    assertThat(requests().staged(request.id()).orElseThrow().products())
        .isEqualTo(request.products());
  }

  @Test
  void imagesKeepTheIdsReservedAtUploadWhenExpanded() {
    NewRequest first = twoProducts(null);
    NewRequest second = twoProducts(null);
    requests().stage(first);
    requests().stage(second);
    long firstIds = requests().staged(first.id()).orElseThrow().firstImageId();
    long secondIds = requests().staged(second.id()).orElseThrow().firstImageId();
    assertThat(Math.abs(secondIds - firstIds))
        .as("blocks of two requests never overlap")
        .isGreaterThanOrEqualTo(3);

    // Expanded out of upload order, each request still gets its own block, in input order.
    assertThat(requests().expand(second.id()).orElseThrow())
        .containsExactly(secondIds, secondIds + 1, secondIds + 2);
    assertThat(requests().expand(first.id()).orElseThrow())
        .containsExactly(firstIds, firstIds + 1, firstIds + 2);
    assertThat(requests().products(first.id()))
        .flatExtracting(Product::images)
        .extracting(Product.Image::imageId)
        .containsExactly(firstIds, firstIds + 1, firstIds + 2);
  }

  @Test
  void storesAndReadsBackInInputOrder() {
    NewRequest request = twoProducts("http://hook.test/x");
    List<Long> imageIds = create(request);

    assertThat(imageIds).hasSize(3).doesNotHaveDuplicates();
    Request stored = requests().find(request.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(RequestStatus.PENDING);
    assertThat(stored.quality()).isEqualTo(60);
    assertThat(stored.totalImages()).isEqualTo(3);
    assertThat(stored.processedImages()).isZero();
    assertThat(stored.webhook().url()).isEqualTo("http://hook.test/x");
    assertThat(stored.webhook().status()).isEqualTo(WebhookStatus.PENDING);
    assertThat(stored.createdAt()).isNotNull();

    List<Product> products = requests().products(request.id());
    assertThat(products).extracting(Product::serialNumber).containsExactly(7L, 3L);
    assertThat(products.get(0).images())
        .extracting(Product.Image::inputUrl)
        .containsExactly("http://a.test/1.jpg", "http://a.test/2.jpg");
    assertThat(products.get(0).images())
        .extracting(Product.Image::imageId)
        .containsExactly(imageIds.get(0), imageIds.get(1));
    assertThat(products.get(1).images().getFirst().status()).isEqualTo(ImageStatus.PENDING);
  }

  @Test
  void unknownRequestIsEmpty() {
    assertThat(requests().find(UUID.randomUUID())).isEmpty();
    assertThat(requests().products(UUID.randomUUID())).isEmpty();
  }

  @Test
  void requestWithoutWebhookHasNone() {
    NewRequest request = twoProducts(null);
    create(request);
    assertThat(requests().find(request.id()).orElseThrow().webhook()).isNull();
  }

  @Test
  void countsEachFinalImageOnceAndSettlesTheRequest() {
    NewRequest request = twoProducts(null);
    List<Long> ids = create(request);

    var work = transitions().start(ids.get(0), "w1").orElseThrow();
    assertThat(work.attempt()).isEqualTo(1);
    assertThat(work.quality()).isEqualTo(60);
    assertThat(work.inputUrl()).isEqualTo("http://a.test/1.jpg");
    assertThat(requests().find(request.id()).orElseThrow().status())
        .isEqualTo(RequestStatus.PROCESSING);

    Outcome first = transitions().complete(ids.get(0), "w1", "/images/x/1.jpg", 100, 40);
    assertThat(first.applied()).isTrue();
    assertThat(first.finishedRequest()).isFalse();
    assertThat(transitions().complete(ids.get(0), "w1", "/images/x/1.jpg", 100, 40).applied())
        .as("a second completion of the same image is ignored")
        .isFalse();
    assertThat(transitions().start(ids.get(0), "w9"))
        .as("final images are not restarted")
        .isEmpty();

    transitions().start(ids.get(1), "w2");
    transitions().fail(ids.get(1), "w2", "HTTP 404 from source");
    transitions().start(ids.get(2), "w3");
    Outcome last = transitions().complete(ids.get(2), "w3", "/images/x/3.jpg", 10, 5);
    assertThat(last.finishedRequest()).isTrue();
    assertThat(last.requestStatus()).isEqualTo(RequestStatus.COMPLETED);

    Request done = requests().find(request.id()).orElseThrow();
    assertThat(done.processedImages()).isEqualTo(3);
    assertThat(done.failedImages()).isEqualTo(1);
    List<Product.Image> images =
        requests().products(request.id()).stream().flatMap(p -> p.images().stream()).toList();
    assertThat(images.get(0).outputPath()).isEqualTo("/images/x/1.jpg");
    assertThat(images.get(0).inputBytes()).isEqualTo(100);
    assertThat(images.get(0).outputBytes()).isEqualTo(40);
    assertThat(images.get(1).status()).isEqualTo(ImageStatus.FAILED);
    assertThat(images.get(1).error()).isEqualTo("HTTP 404 from source");
  }

  @Test
  void aRequestWhoseImagesAllFailedIsFailed() {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "a", List.of("http://x/1"))));
    long id = create(request).getFirst();
    transitions().start(id, "w1");
    Outcome outcome = transitions().fail(id, "w1", "not an image");
    assertThat(outcome.finishedRequest()).isTrue();
    assertThat(outcome.requestStatus()).isEqualTo(RequestStatus.FAILED);
  }

  @Test
  void retriedImagesGoBackToPendingWithTheirErrorAndCountAttempts() {
    NewRequest request = twoProducts(null);
    long id = create(request).getFirst();
    transitions().start(id, "w1");
    assertThat(transitions().retry(id, "w1", "HTTP 503 from source")).isTrue();
    Product.Image image = requests().products(request.id()).getFirst().images().getFirst();
    assertThat(image.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(image.error()).isEqualTo("HTTP 503 from source");
    assertThat(transitions().start(id, "w2").orElseThrow().attempt()).isEqualTo(2);
    assertThat(requests().find(request.id()).orElseThrow().processedImages()).isZero();
  }

  @Test
  void aProcessingImageLeftByADeadWorkerCanBeTakenOverByANewOwner() {
    NewRequest request = twoProducts(null);
    long id = create(request).getFirst();
    transitions().start(id, "dead");
    assertThat(transitions().start(id, "dead")).as("already its owner's").isEmpty();
    assertThat(transitions().start(id, "next").orElseThrow().attempt()).isEqualTo(2);
  }

  @Test
  void onlyTheOwnerMovesARunningImage() {
    NewRequest request = twoProducts(null);
    long id = create(request).getFirst();
    transitions().start(id, "stale");
    transitions().start(id, "current");

    assertThat(transitions().retry(id, "stale", "read timed out")).isFalse();
    assertThat(transitions().fail(id, "stale", "HTTP 404 from source").applied()).isFalse();
    assertThat(transitions().complete(id, "stale", "/images/x/1.jpg", 1, 1).applied()).isFalse();
    Product.Image image = requests().products(request.id()).getFirst().images().getFirst();
    assertThat(image.status()).isEqualTo(ImageStatus.PROCESSING);
    assertThat(image.error()).isNull();
    assertThat(requests().find(request.id()).orElseThrow().processedImages()).isZero();

    Outcome done = transitions().complete(id, "current", "/images/x/1.jpg", 100, 40);
    assertThat(done.applied()).isTrue();
    assertThat(requests().find(request.id()).orElseThrow().processedImages()).isEqualTo(1);
  }

  @Test
  void aRetriedImageBelongsToNoOneUntilItStartsAgain() {
    NewRequest request = twoProducts(null);
    long id = create(request).getFirst();
    transitions().start(id, "first");
    transitions().retry(id, "first", "HTTP 503 from source");
    assertThat(transitions().complete(id, "first", "/images/x/1.jpg", 1, 1).applied()).isFalse();
    assertThat(transitions().start(id, "second")).isPresent();
    assertThat(transitions().complete(id, "second", "/images/x/1.jpg", 1, 1).applied()).isTrue();
  }

  @Test
  void readsAPageOfProductsByPosition() {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            50,
            null,
            List.of(
                new NewProduct(10, "a", List.of("http://x/1", "http://x/2")),
                new NewProduct(20, "b", List.of("http://x/3")),
                new NewProduct(30, "c", List.of("http://x/4", "http://x/5")),
                new NewProduct(40, "d", List.of("http://x/6"))));
    requests().stage(request);
    assertThat(requests().productCount(request.id())).as("staged").isZero();
    assertThat(requests().products(request.id(), 0, 10)).as("staged").isEmpty();
    List<Long> ids = requests().expand(request.id()).orElseThrow();

    assertThat(requests().productCount(request.id())).isEqualTo(4);
    List<Product> page = requests().products(request.id(), 1, 2);
    assertThat(page).extracting(Product::serialNumber).containsExactly(20L, 30L);
    assertThat(page)
        .flatExtracting(Product::images)
        .extracting(Product.Image::imageId)
        .containsExactly(ids.get(2), ids.get(3), ids.get(4));
    assertThat(requests().products(request.id(), 3, 100))
        .extracting(Product::serialNumber)
        .containsExactly(40L);
    assertThat(requests().products(request.id(), 4, 100)).isEmpty();
    assertThat(requests().productCount(UUID.randomUUID())).isZero();
  }

  @Test
  void everyImageChangeGetsTheNextChangeNumberOfItsRequest() {
    NewRequest request = twoProducts(null);
    NewRequest other = twoProducts(null);
    List<Long> ids = create(request);
    List<Long> otherIds = create(other);
    assertThat(changeNumber(request)).isZero();
    assertThat(requests().imagesChanged(request.id(), 0, Long.MAX_VALUE)).isEmpty();
    assertThat(requests().products(request.id()))
        .flatExtracting(Product::images)
        .extracting(Product.Image::changeNumber)
        .containsOnly(0L);

    transitions().start(ids.get(0), "w"); // 1
    transitions().start(ids.get(1), "w"); // 2
    transitions().start(otherIds.get(0), "w"); // the other request's own 1
    transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 100, 40); // 3
    transitions().retry(ids.get(1), "w", "HTTP 503 from source"); // 4
    assertThat(changeNumber(request)).isEqualTo(4);
    assertThat(changeNumber(other)).isEqualTo(1);

    assertThat(requests().imagesChanged(request.id(), 0, 4))
        .extracting(Product.Image::imageId, Product.Image::status)
        .containsExactly(
            tuple(ids.get(0), ImageStatus.COMPLETED), tuple(ids.get(1), ImageStatus.PENDING));
    assertThat(requests().imagesChanged(request.id(), 3, 4))
        .extracting(Product.Image::imageId)
        .containsExactly(ids.get(1));
    assertThat(requests().imagesChanged(request.id(), 0, 2))
        .as("both changed again after 2: they belong to the later range")
        .isEmpty();
    assertThat(requests().imagesChanged(request.id(), 4, 4)).isEmpty();

    assertThat(transitions().complete(ids.get(0), "w", "/images/x/1.jpg", 100, 40).applied())
        .isFalse();
    assertThat(changeNumber(request)).as("a transition that changes nothing").isEqualTo(4);
    Product.Image completed = requests().imagesChanged(request.id(), 2, 3).getFirst();
    assertThat(completed.changeNumber()).isEqualTo(3);
    assertThat(completed.outputPath()).isEqualTo("/images/x/1.jpg");
    assertThat(completed.outputBytes()).isEqualTo(40);
  }

  @Test
  void startAllStartsWhatCanStartInTheOrderAskedWithOneChangeNumberPerRequest() {
    NewRequest a = twoProducts(null);
    NewRequest b = twoProducts(null);
    List<Long> as = create(a);
    List<Long> bs = create(b);
    transitions().start(as.get(0), "w");
    transitions().complete(as.get(0), "w", "/images/x/1.jpg", 1, 1);
    transitions().start(as.get(1), "me");
    transitions().start(as.get(2), "dead");
    long before = changeNumber(a);

    List<ImageWork> started =
        transitions()
            .startAll(
                List.of(
                    new Start(bs.get(1), "me"),
                    new Start(as.get(0), "me"), // final
                    new Start(as.get(2), "me"), // a dead worker's: taken over
                    new Start(bs.get(0), "me"),
                    new Start(as.get(1), "me"), // already mine
                    new Start(bs.get(0), "other"))); // a second start of one image in one call

    assertThat(started)
        .extracting(ImageWork::imageId, ImageWork::requestId, ImageWork::attempt)
        .containsExactly(
            tuple(bs.get(1), b.id(), 1), tuple(as.get(2), a.id(), 2), tuple(bs.get(0), b.id(), 1));
    assertThat(started.getFirst().inputUrl()).isEqualTo("http://a.test/2.jpg");
    assertThat(started.getFirst().quality()).isEqualTo(60);
    assertThat(requests().find(b.id()).orElseThrow().status()).isEqualTo(RequestStatus.PROCESSING);
    assertThat(changeNumber(a)).as("one number per request and call").isEqualTo(before + 1);
    assertThat(changeNumber(b)).isEqualTo(1);
    assertThat(requests().imagesChanged(b.id(), 0, 1))
        .extracting(Product.Image::imageId, Product.Image::status, Product.Image::changeNumber)
        .containsExactlyInAnyOrder(
            tuple(bs.get(0), ImageStatus.PROCESSING, 1L),
            tuple(bs.get(1), ImageStatus.PROCESSING, 1L));
    assertThat(requests().imagesChanged(a.id(), before, before + 1))
        .extracting(Product.Image::imageId)
        .containsExactly(as.get(2));
    assertThat(transitions().complete(bs.get(0), "other", "/images/x/1.jpg", 1, 1).applied())
        .as("the repeated start took nothing over")
        .isFalse();
    assertThat(transitions().complete(bs.get(0), "me", "/images/x/1.jpg", 1, 1).applied()).isTrue();
    assertThat(transitions().complete(as.get(2), "dead", "/images/x/3.jpg", 1, 1).applied())
        .isFalse();
    assertThat(transitions().startAll(List.of())).isEmpty();
  }

  @Test
  void recordSettlesEveryRequestOnceForAMixOfChanges() {
    NewRequest a = twoProducts(null);
    NewRequest b = twoProducts(null);
    NewRequest c = twoProducts(null);
    NewRequest d =
        new NewRequest(
            UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "d", List.of("http://x/1"))));
    List<Long> as = create(a);
    List<Long> bs = create(b);
    List<Long> cs = create(c);
    long d0 = create(d).getFirst();
    List<Start> starts = new java.util.ArrayList<>();
    for (long id : List.of(as.get(0), as.get(1), as.get(2), bs.get(0), bs.get(1), bs.get(2), d0)) {
      starts.add(new Start(id, "w"));
    }
    assertThat(transitions().startAll(starts)).hasSize(7);
    transitions().start(cs.get(0), "stale");
    transitions().start(cs.get(0), "current");
    long aBefore = changeNumber(a);
    long bBefore = changeNumber(b);
    long cBefore = changeNumber(c);

    List<Change> changes =
        List.of(
            new Completion(as.get(0), "w", "/images/a/1.jpg", "/images/a/1-before.jpg", 100, 40),
            new Failure(bs.get(0), "w", "HTTP 404 from source"),
            new Retry(as.get(1), "w", "HTTP 503 from source"),
            new Completion(bs.get(1), "w", "/images/b/2.jpg", 10, 5),
            new HandBack(as.get(2), "w"),
            new Completion(cs.get(0), "stale", "/images/c/1.jpg", 1, 1), // not its owner
            new Failure(bs.get(2), "w", "not an image"), // the last of b
            new Completion(as.get(1), "w", "/images/a/2.jpg", 1, 1), // second change of a1
            new Completion(bs.get(1), "w", "/images/b/2.jpg", 10, 5), // second change of b1
            new Failure(d0, "w", "HTTP 404 from source")); // the only one of d
    List<Outcome> outcomes = transitions().record(changes);

    assertThat(outcomes)
        .extracting(Outcome::applied)
        .containsExactly(true, true, true, true, true, false, true, false, false, true);
    assertThat(outcomes)
        .extracting(Outcome::requestId)
        .containsExactly(
            a.id(), b.id(), a.id(), b.id(), a.id(), c.id(), b.id(), a.id(), b.id(), d.id());
    RequestStatus processing = RequestStatus.PROCESSING;
    RequestStatus completed = RequestStatus.COMPLETED;
    assertThat(outcomes)
        .extracting(Outcome::requestStatus)
        .as("each request's status after the whole call")
        .containsExactly(
            processing,
            completed,
            processing,
            completed,
            processing,
            processing,
            completed,
            processing,
            completed,
            RequestStatus.FAILED);
    assertThat(outcomes)
        .extracting(Outcome::finishedRequest)
        .as("once per request finished: b by its last applied change, d")
        .containsExactly(false, false, false, false, false, false, true, false, false, true);

    Request doneB = requests().find(b.id()).orElseThrow();
    assertThat(doneB.status()).isEqualTo(RequestStatus.COMPLETED);
    assertThat(doneB.processedImages()).isEqualTo(3);
    assertThat(doneB.failedImages()).isEqualTo(2);
    Request stillA = requests().find(a.id()).orElseThrow();
    assertThat(stillA.status()).isEqualTo(RequestStatus.PROCESSING);
    assertThat(stillA.processedImages()).isEqualTo(1);
    assertThat(stillA.failedImages()).isZero();
    assertThat(requests().find(c.id()).orElseThrow().processedImages()).isZero();
    assertThat(requests().find(d.id()).orElseThrow().status()).isEqualTo(RequestStatus.FAILED);

    assertThat(changeNumber(a)).as("one number per request and call").isEqualTo(aBefore + 1);
    assertThat(changeNumber(b)).isEqualTo(bBefore + 1);
    assertThat(changeNumber(c)).as("nothing of c changed").isEqualTo(cBefore);
    assertThat(requests().imagesChanged(a.id(), aBefore, aBefore + 1))
        .extracting(
            Product.Image::imageId,
            Product.Image::status,
            Product.Image::error,
            Product.Image::changeNumber)
        .containsExactlyInAnyOrder(
            tuple(as.get(0), ImageStatus.COMPLETED, null, aBefore + 1),
            tuple(as.get(1), ImageStatus.PENDING, "HTTP 503 from source", aBefore + 1),
            tuple(as.get(2), ImageStatus.PENDING, null, aBefore + 1));
    assertThat(requests().imagesChanged(b.id(), bBefore, bBefore + 1))
        .extracting(Product.Image::imageId, Product.Image::status)
        .containsExactlyInAnyOrder(
            tuple(bs.get(0), ImageStatus.FAILED),
            tuple(bs.get(1), ImageStatus.COMPLETED),
            tuple(bs.get(2), ImageStatus.FAILED));
    Product.Image a0 =
        requests().imagesChanged(a.id(), aBefore, aBefore + 1).stream()
            .filter(i -> i.imageId() == as.get(0))
            .findFirst()
            .orElseThrow();
    assertThat(a0.outputPath()).isEqualTo("/images/a/1.jpg");
    assertThat(a0.previewPath()).isEqualTo("/images/a/1-before.jpg");
    assertThat(requests().products(a.id()).getFirst().images().getFirst().previewPath())
        .as("the products read sees the preview too")
        .isEqualTo("/images/a/1-before.jpg");
    assertThat(requests().products(b.id()).stream().flatMap(p -> p.images().stream()))
        .as("a completion without a preview, and failures, record none")
        .extracting(Product.Image::previewPath)
        .containsOnlyNulls();
    assertThat(a0.inputBytes()).isEqualTo(100);
    assertThat(a0.outputBytes()).isEqualTo(40);

    assertThat(transitions().start(as.get(2), "w2").orElseThrow().attempt())
        .as("a hand-back does not count the attempt")
        .isEqualTo(1);
    assertThat(transitions().start(as.get(1), "w2").orElseThrow().attempt())
        .as("a retry does")
        .isEqualTo(2);
    assertThat(transitions().complete(cs.get(0), "current", "/images/c/1.jpg", 1, 1).applied())
        .isTrue();
    assertThat(transitions().record(List.of())).isEmpty();
  }

  @Test
  void recordGivesRetriesAndHandBacksTheirRequest() {
    NewRequest request = twoProducts(null);
    List<Long> ids = create(request);
    transitions().start(ids.get(0), "w");
    List<Outcome> outcomes =
        transitions()
            .record(
                List.of(
                    new HandBack(ids.get(0), "someone else"),
                    new Retry(ids.get(1), "w", "not started")));
    assertThat(outcomes)
        .extracting(Outcome::applied, Outcome::requestId, Outcome::requestStatus)
        .containsExactly(
            tuple(false, request.id(), RequestStatus.PROCESSING),
            tuple(false, request.id(), RequestStatus.PROCESSING));
    assertThat(transitions().handBack(ids.get(0), "w")).isTrue();
    assertThat(changeNumber(request)).isEqualTo(2);
  }

  private long changeNumber(NewRequest request) {
    return requests().find(request.id()).orElseThrow().changeNumber();
  }

  @Test
  void listsRecentRequestsNewestFirst() {
    NewRequest older = twoProducts(null);
    create(older);
    advanceClock();
    NewRequest newer = twoProducts(null);
    create(newer);
    assertThat(requests().recent(0, 2))
        .extracting(Request::id)
        .containsExactly(newer.id(), older.id());
    assertThat(requests().recent(1, 1)).extracting(Request::id).containsExactly(older.id());
  }

  @Test
  void deleteRemovesTheRequestWithEverythingItOwnsAndRecordsItsDeletion() {
    NewRequest request = twoProducts("http://hook.test/x");
    List<Long> ids = create(request);
    NewRequest other = twoProducts(null);
    List<Long> otherIds = create(other);
    transitions().start(ids.get(0), "w1").orElseThrow();
    transitions().start(ids.get(1), "w1").orElseThrow();
    transitions().complete(ids.get(1), "w1", "/images/x/1.jpg", 10, 5);
    Instant createdAt = requests().find(request.id()).orElseThrow().createdAt();
    advanceClock();
    Instant due = createdAt.plus(Duration.ofMinutes(5));

    assertThat(requests().delete(request.id(), due)).isTrue();

    assertThat(requests().find(request.id())).isEmpty();
    assertThat(requests().products(request.id())).isEmpty();
    assertThat(requests().products(request.id(), 0, 10)).isEmpty();
    assertThat(requests().productCount(request.id())).isZero();
    assertThat(requests().staged(request.id())).isEmpty();
    assertThat(requests().imagesChanged(request.id(), 0, Long.MAX_VALUE)).isEmpty();
    assertThat(requests().recent(0, 10)).extracting(Request::id).doesNotContain(request.id());
    PendingDeletion recorded = requests().deletion(request.id()).orElseThrow();
    assertThat(recorded.requestId()).isEqualTo(request.id());
    assertThat(recorded.deletedAt()).isAfter(createdAt);
    // An attempt in flight changes nothing, and learns its image is gone.
    Outcome late = transitions().complete(ids.get(0), "w1", "/images/x/0.jpg", 10, 5);
    assertThat(late.applied()).isFalse();
    assertThat(late.requestStatus()).isNull();
    assertThat(transitions().start(ids.get(2), "w2")).isEmpty();
    assertThat(requests().expand(request.id())).isEmpty();
    assertThat(requests().failStaged(request.id(), "late")).isFalse();
    assertThat(requests().find(request.id())).as("nothing came back").isEmpty();
    // The other request is untouched.
    assertThat(requests().find(other.id())).isPresent();
    assertThat(requests().products(other.id()))
        .flatExtracting(Product::images)
        .extracting(Product.Image::imageId)
        .containsExactlyElementsOf(otherIds);
    assertThat(requests().deletion(other.id())).isEmpty();
  }

  @Test
  void deletingAgainOrAnUnknownRequestIsFalse() {
    NewRequest request = twoProducts(null);
    create(request);
    Instant due = requests().find(request.id()).orElseThrow().createdAt();

    assertThat(requests().delete(request.id(), due)).isTrue();
    assertThat(requests().delete(request.id(), due)).isFalse();
    assertThat(requests().deletion(request.id())).as("the record stays").isPresent();

    UUID unknown = UUID.randomUUID();
    assertThat(requests().delete(unknown, due)).isFalse();
    assertThat(requests().deletion(unknown)).as("nothing to record").isEmpty();
  }

  @Test
  void aStagedRequestCanBeDeletedBeforeItsExpansion() {
    NewRequest request = twoProducts("http://hook.test/x");
    requests().stage(request);
    Instant due = requests().find(request.id()).orElseThrow().createdAt();

    assertThat(requests().delete(request.id(), due)).isTrue();

    assertThat(requests().staged(request.id())).isEmpty();
    assertThat(requests().expand(request.id())).as("its intake job finds nothing").isEmpty();
    assertThat(requests().failStaged(request.id(), "x")).isFalse();
    assertThat(requests().find(request.id())).isEmpty();
  }

  @Test
  void finishedBeforeListsFinalRequestsByTheirLastChangeOldestFirst() {
    NewRequest first = twoProducts(null);
    List<Long> firstIds = create(first);
    NewRequest failed = twoProducts(null);
    requests().stage(failed);
    NewRequest open = twoProducts(null);
    List<Long> openIds = create(open);
    transitions().start(openIds.get(0), "w").orElseThrow();
    transitions().complete(openIds.get(0), "w", "/images/o/0.jpg", 1, 1);
    advanceClock();
    for (long id : firstIds) {
      transitions().start(id, "w").orElseThrow();
      transitions().complete(id, "w", "/images/f/" + id + ".jpg", 1, 1);
    }
    advanceClock();
    requests().failStaged(failed.id(), "broken");
    advanceClock();
    Instant firstDone = requests().find(first.id()).orElseThrow().updatedAt();
    Instant failedDone = requests().find(failed.id()).orElseThrow().updatedAt();
    List<UUID> ours = List.of(first.id(), failed.id(), open.id());

    assertThat(requests().finishedBefore(failedDone.plusMillis(1), 1000))
        .filteredOn(ours::contains)
        .containsExactly(first.id(), failed.id());
    assertThat(requests().finishedBefore(failedDone, 1000))
        .as("strictly before")
        .filteredOn(ours::contains)
        .containsExactly(first.id());
    assertThat(requests().finishedBefore(firstDone, 1000)).filteredOn(ours::contains).isEmpty();
    assertThat(requests().finishedBefore(failedDone.plusSeconds(60), 1)).hasSize(1);
  }

  @Test
  void pendingDeletionsComeDueAreMovedAndForgotten() {
    NewRequest a = twoProducts(null);
    NewRequest b = twoProducts(null);
    create(a);
    create(b);
    Instant t = requests().find(a.id()).orElseThrow().createdAt();
    requests().delete(a.id(), t.plusSeconds(10));
    requests().delete(b.id(), t.plusSeconds(5));

    assertThat(requests().deletionsDue(t.plusSeconds(4), 10)).isEmpty();
    assertThat(requests().deletionsDue(t.plusSeconds(10), 10))
        .extracting(PendingDeletion::requestId)
        .containsExactly(b.id(), a.id());
    assertThat(requests().deletionsDue(t.plusSeconds(10), 1))
        .extracting(PendingDeletion::requestId)
        .containsExactly(b.id());

    requests().deletionDueAt(b.id(), t.plusSeconds(60));
    assertThat(requests().deletionsDue(t.plusSeconds(10), 10))
        .extracting(PendingDeletion::requestId)
        .containsExactly(a.id());

    requests().forgetDeletion(a.id());
    requests().forgetDeletion(a.id());
    assertThat(requests().deletion(a.id())).isEmpty();
    assertThat(requests().deletionsDue(t.plusSeconds(60), 10))
        .extracting(PendingDeletion::requestId)
        .containsExactly(b.id());
    requests().deletionDueAt(a.id(), t);
    assertThat(requests().deletion(a.id())).as("moving a forgotten one records nothing").isEmpty();
  }

  private NewRequest ownedBy(String owner, int images) {
    List<String> urls = new java.util.ArrayList<>();
    for (int i = 0; i < images; i++) {
      urls.add("http://a.test/" + i + ".jpg");
    }
    return new NewRequest(
        UUID.randomUUID(), owner, 60, null, List.of(new NewProduct(1, "SKU1", urls)));
  }

  /** An owner name no other test of a shared store uses. */
  private static String owner(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aRequestKeepsItsOwnerAndOneWithoutHasNone() {
    String alice = owner("alice");
    NewRequest owned = ownedBy(alice, 1);
    NewRequest anonymous = twoProducts(null);
    create(owned);
    requests().stage(anonymous);

    assertThat(requests().find(owned.id()).orElseThrow().owner()).isEqualTo(alice);
    assertThat(requests().find(anonymous.id()).orElseThrow().owner()).isNull();
    assertThat(requests().recent(alice, 0, 10))
        .singleElement()
        .extracting(Request::owner)
        .isEqualTo(alice);
  }

  @Test
  void listsTheRequestsOfOneOwnerNewestFirst() {
    String alice = owner("alice");
    String bob = owner("bob");
    NewRequest older = ownedBy(alice, 1);
    create(older);
    advanceClock();
    NewRequest bobs = ownedBy(bob, 1);
    create(bobs);
    advanceClock();
    NewRequest newer = ownedBy(alice, 2);
    requests().stage(newer);
    requests().stage(twoProducts(null));

    assertThat(requests().recent(alice, 0, 10))
        .extracting(Request::id)
        .containsExactly(newer.id(), older.id());
    assertThat(requests().recent(alice, 1, 1)).extracting(Request::id).containsExactly(older.id());
    assertThat(requests().recent(bob, 0, 10)).extracting(Request::id).containsExactly(bobs.id());
    assertThat(requests().recent(owner("nobody"), 0, 10)).isEmpty();
  }

  @Test
  void countsTheUnfinishedRequestsOfAnOwner() {
    String alice = owner("alice");
    NewRequest staged = ownedBy(alice, 1);
    requests().stage(staged);
    NewRequest expanded = ownedBy(alice, 1);
    long image = create(expanded).getFirst();
    NewRequest failed = ownedBy(alice, 1);
    requests().stage(failed);
    requests().stage(ownedBy(owner("bob"), 1));
    requests().stage(twoProducts(null));

    assertThat(requests().unfinished(alice)).isEqualTo(3);

    requests().failStaged(failed.id(), "cannot be expanded");
    assertThat(requests().unfinished(alice)).as("a failed request is final").isEqualTo(2);

    String worker = "worker-1";
    transitions().start(image, worker);
    transitions().complete(image, worker, "/images/x.jpg", 10, 5);
    assertThat(requests().find(expanded.id()).orElseThrow().status())
        .isEqualTo(RequestStatus.COMPLETED);
    assertThat(requests().unfinished(alice)).as("a completed request is final").isEqualTo(1);
    assertThat(requests().unfinished(owner("nobody"))).isZero();
  }

  @Test
  void sumsTheImagesAnOwnerUploadedSinceAnInstant() {
    String alice = owner("alice");
    NewRequest first = ownedBy(alice, 3);
    requests().stage(first);
    java.time.Instant firstAt = requests().find(first.id()).orElseThrow().createdAt();
    advanceClock();
    NewRequest second = ownedBy(alice, 4);
    create(second);
    java.time.Instant secondAt = requests().find(second.id()).orElseThrow().createdAt();
    requests().stage(ownedBy(owner("bob"), 50));

    assertThat(requests().imagesSince(alice, firstAt)).as("from the first on").isEqualTo(7);
    assertThat(requests().imagesSince(alice, secondAt))
        .as("the instant itself counts")
        .isEqualTo(4);
    assertThat(requests().imagesSince(alice, secondAt.plusMillis(1))).isZero();
    assertThat(requests().imagesSince(owner("nobody"), firstAt)).isZero();
  }

  @Test
  void aRequestKeepsItsOutputAndItsImagesAreWorkedWithIt() {
    Output webp = new Output(OutputFormat.WEBP, Output.AUTO_QUALITY, 1600, 0);
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            null,
            webp,
            null,
            List.of(new NewProduct(1, "a", List.of("http://x/1", "http://x/2"))));
    requests().stage(request);
    assertThat(requests().find(request.id()).orElseThrow().output())
        .as("already while staged")
        .isEqualTo(webp);
    List<Long> ids = requests().expand(request.id()).orElseThrow();

    Request stored = requests().find(request.id()).orElseThrow();
    assertThat(stored.output()).isEqualTo(webp);
    assertThat(stored.quality()).isEqualTo(Output.AUTO_QUALITY);
    assertThat(requests().recent(0, 1000))
        .filteredOn(r -> r.id().equals(request.id()))
        .singleElement()
        .extracting(Request::output)
        .isEqualTo(webp);
    assertThat(transitions().start(ids.get(0), "w1").orElseThrow().output()).isEqualTo(webp);
    assertThat(transitions().startAll(List.of(new Start(ids.get(1), "w2"))))
        .singleElement()
        .extracting(ImageWork::output)
        .isEqualTo(webp);

    Output avif = new Output(OutputFormat.AVIF, 45, 0, 800);
    NewRequest other =
        new NewRequest(
            UUID.randomUUID(),
            null,
            avif,
            null,
            List.of(new NewProduct(1, "b", List.of("http://x/3"))));
    long otherImage = create(other).getFirst();
    assertThat(requests().find(other.id()).orElseThrow().output()).isEqualTo(avif);
    assertThat(transitions().start(otherImage, "w3").orElseThrow().output()).isEqualTo(avif);
  }

  @Test
  void aRequestUploadedWithAQualityOnlyIsAFullSizeJpeg() {
    NewRequest request = twoProducts(null);
    long image = create(request).getFirst();

    assertThat(requests().find(request.id()).orElseThrow().output()).isEqualTo(Output.jpeg(60));
    assertThat(transitions().start(image, "w1").orElseThrow().output()).isEqualTo(Output.jpeg(60));
  }

  @Test
  void eachCompletedImageKeepsTheQualityItsOutputWasEncodedAt() {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(),
            null,
            new Output(OutputFormat.WEBP, Output.AUTO_QUALITY, 0, 0),
            null,
            List.of(new NewProduct(1, "a", List.of("http://x/1", "http://x/2", "http://x/3"))));
    List<Long> ids = create(request);
    transitions().startAll(ids.stream().map(id -> new Start(id, "w")).toList());
    long before = requests().find(request.id()).orElseThrow().changeNumber();

    List<Outcome> outcomes =
        transitions()
            .record(
                List.of(
                    new Completion(ids.get(0), "w", "/images/r/1.webp", null, 100, 40, 37),
                    new Completion(ids.get(1), "w", "/images/r/2.webp", null, 100, 50, 81),
                    new Failure(ids.get(2), "w", "not an image")));
    assertThat(outcomes).allMatch(Outcome::applied);

    List<Product.Image> images = requests().products(request.id()).getFirst().images();
    assertThat(images)
        .extracting(Product.Image::outputPath, Product.Image::outputQuality)
        .containsExactly(
            tuple("/images/r/1.webp", 37), tuple("/images/r/2.webp", 81), tuple(null, null));
    long after = requests().find(request.id()).orElseThrow().changeNumber();
    assertThat(requests().imagesChanged(request.id(), before, after))
        .extracting(Product.Image::outputQuality)
        .containsExactly(37, 81, null);
  }

  @Test
  void anImageNotCompletedOrCompletedWithoutAQualityHasNone() {
    NewRequest request = twoProducts(null);
    List<Long> ids = create(request);
    transitions().start(ids.get(0), "w1");
    transitions().complete(ids.get(0), "w1", "/images/x/1.jpg", 100, 40);
    transitions().start(ids.get(1), "w2");
    transitions().retry(ids.get(1), "w2", "HTTP 503 from source");

    assertThat(requests().products(request.id()).getFirst().images())
        .extracting(Product.Image::status, Product.Image::outputQuality)
        .containsExactly(tuple(ImageStatus.COMPLETED, null), tuple(ImageStatus.PENDING, null));
  }

  protected abstract void advanceClock();
}
