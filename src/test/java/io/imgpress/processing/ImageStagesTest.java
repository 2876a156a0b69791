package io.imgpress.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.intake.ResultCsvWriter;
import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.OutboxProperties;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.queue.WorkSignal;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.Product;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.storage.local.LocalImageStore;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.util.unit.DataSize;

/**
 * The stages' decisions for images, on the real JDBC adapters and local store: complete, retry with
 * backoff, fail for good, give up past the delivery bound, and tell listeners once per request.
 */
class ImageStagesTest {

  /** What the fake codec writes for a WebP or AVIF output, and the quality it "chooses". */
  static final byte[] FAKE_WEBP = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);

  static final int AUTO_CHOICE = 42;

  @TempDir Path storeRoot;
  MutableClock clock = new MutableClock();
  DataSource ds;
  RequestRepository requests;
  JobQueue queue;
  ImageTransitions transitions;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Function<URI, ImageFetcher.FetchedImage> origin =
      uri -> new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
  List<RequestStatus> finished = new CopyOnWriteArrayList<>();
  ImageStages stages;
  final AtomicInteger coded = new AtomicInteger();
  int perHost = 4;
  Duration stopTimeout = Duration.ofSeconds(30);

  @BeforeEach
  void wire() {
    ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    queue = JdbcQueues.queue(ds, clock);
    transitions = JdbcStores.transitions(ds, clock);
  }

  @AfterEach
  void stop() {
    if (stages != null) {
      stages.stop();
    }
  }

  private void start(ImageTransitions transitions) {
    ImageFetcher fetcher = (uri, budget) -> origin.apply(uri);
    Codec codec =
        new Codec() {
          @Override
          public ImageInfo probe(byte[] source, ImageFormat format) {
            return new ImageInfo(format, 8, 8);
          }

          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            if (source.length > 3 && source[3] == 'X') {
              throw new IllegalStateException("a codec bug with secret details");
            }
            return new EncodedImage(new byte[] {(byte) 0xFF, (byte) 0xD8, 1}, 8, 8);
          }

          /** Every other image gets a preview (of another size than its output). */
          @Override
          public EncodedImage compress(
              byte[] source, ImageFormat format, int quality, int previewSize, Deadline deadline) {
            EncodedImage output = compress(source, format, quality);
            return coded.incrementAndGet() % 2 == 0
                ? output
                : new EncodedImage(
                    output.bytes(), 8, 8, new byte[] {(byte) 0xFF, (byte) 0xD8, 2, 2, 2, 2});
          }

          /**
           * WebP (and automatic quality) as a real engine reports them: in the format asked, at the
           * quality it chose ({@link #AUTO_CHOICE}); JPEGs of a fixed quality as before.
           */
          @Override
          public EncodedImage encode(
              byte[] source,
              ImageFormat format,
              Output output,
              int previewSize,
              Deadline deadline) {
            if (output.format() == OutputFormat.JPEG && !output.autoQuality()) {
              return Codec.super.encode(source, format, output, previewSize, deadline);
            }
            EncodedImage jpeg = compress(source, format, 1, previewSize, deadline);
            return new EncodedImage(
                FAKE_WEBP,
                8,
                8,
                jpeg.preview(),
                output.format(),
                output.autoQuality() ? AUTO_CHOICE : output.quality());
          }
        };
    ProcessingProperties properties =
        new ProcessingProperties(
            2,
            3,
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofMillis(20),
            0,
            32,
            DataSize.ofMegabytes(8),
            1,
            stopTimeout);
    stages =
        new ImageStages(
            queue,
            new WorkSignal(),
            transitions,
            // Not started: these tests enqueue their images themselves.
            new OutboxRelay(
                JdbcStores.outbox(ds, clock), queue, new WorkSignal(), OutboxProperties.defaults()),
            List.of((id, status) -> finished.add(status)),
            new ImagePipeline(
                codec,
                new PixelBudget(100_000_000),
                new ImageProperties(50_000_000, 50, 1000, Duration.ofSeconds(30), 320)),
            fetcher,
            new LocalImageStore(storeRoot),
            properties,
            new FetchLimits(8, perHost, clock),
            new ByteBudget(properties.bufferBytes(0)),
            new ProcessingMetrics(registry),
            registry,
            clock);
    stages.start();
  }

  private UUID upload(int images) {
    return upload(IntStream.rangeClosed(1, images).mapToObj(i -> "http://o.example/" + i).toList());
  }

  private UUID upload(List<String> urls) {
    return upload(Output.jpeg(50), urls);
  }

  private UUID upload(Output output, int images) {
    return upload(
        output, IntStream.rangeClosed(1, images).mapToObj(i -> "http://o.example/" + i).toList());
  }

  private UUID upload(Output output, List<String> urls) {
    NewRequest request =
        new NewRequest(
            UUID.randomUUID(), null, output, null, List.of(new NewProduct(1, "a", urls)));
    requests.stage(request);
    List<JobQueue.Job> jobs = new ArrayList<>();
    for (long id : requests.expand(request.id()).orElseThrow()) {
      jobs.add(new JobQueue.Job(JobKind.IMAGE, Long.toString(id), clock.instant()));
    }
    queue.enqueue(jobs);
    return request.id();
  }

  @Test
  void completesEveryImageWithItsStoredOutputAndFinishesTheRequestOnce() {
    start(transitions);
    UUID id = upload(150);

    await(() -> finished.size() == 1);

    assertThat(finished).containsExactly(RequestStatus.COMPLETED);
    List<Product.Image> images = images(id);
    assertThat(images).hasSize(150).allMatch(i -> i.status() == ImageStatus.COMPLETED);
    for (Product.Image image : images) {
      Path output = storeRoot.resolve(id.toString()).resolve(image.imageId() + ".jpg");
      assertThat(output).exists();
      assertThat(image.outputBytes()).isEqualTo(size(output)).isEqualTo(3);
      Path preview = storeRoot.resolve(id.toString()).resolve(image.imageId() + "-before.jpg");
      if (image.previewPath() == null) {
        assertThat(preview).doesNotExist();
      } else {
        assertThat(image.previewPath())
            .isEqualTo("/images/" + id + "/" + image.imageId() + "-before.jpg");
        assertThat(size(preview)).isEqualTo(6);
      }
    }
    assertThat(images)
        .as("the previews of a batch in which only some images have one")
        .filteredOn(i -> i.previewPath() != null)
        .hasSize(75);
    assertThat(images).extracting(Product.Image::outputQuality).containsOnly(50);
    await(() -> queue.depth().jobs() == 0);
  }

  @Test
  void aWebpRequestsOutputsAreStoredAsWebpWithTheQualityChosenForEach() throws Exception {
    start(transitions);
    UUID id = upload(new Output(OutputFormat.WEBP, Output.AUTO_QUALITY, 0, 0), 6);

    await(() -> finished.size() == 1);

    assertThat(finished).containsExactly(RequestStatus.COMPLETED);
    List<Product.Image> images = images(id);
    assertThat(images).hasSize(6).allMatch(i -> i.status() == ImageStatus.COMPLETED);
    for (Product.Image image : images) {
      Path folder = storeRoot.resolve(id.toString());
      assertThat(image.outputPath()).isEqualTo("/images/" + id + "/" + image.imageId() + ".webp");
      assertThat(folder.resolve(image.imageId() + ".webp")).hasBinaryContent(FAKE_WEBP);
      assertThat(folder.resolve(image.imageId() + ".jpg")).doesNotExist();
      assertThat(image.outputQuality()).as("the quality chosen, not 0").isEqualTo(AUTO_CHOICE);
      if (image.previewPath() != null) {
        assertThat(image.previewPath()).endsWith("/" + image.imageId() + "-before.jpg");
      }
    }
    assertThat(images).filteredOn(i -> i.previewPath() != null).isNotEmpty();

    StringWriter csv = new StringWriter();
    ResultCsvWriter.write(requests.products(id), p -> "https://cdn.test" + p, csv);
    String outputs = csv.toString().lines().toList().get(1).replaceFirst(".*,\"", "");
    assertThat(outputs.replace("\"", "").split(","))
        .as("the result CSV lists the WebP outputs")
        .hasSize(6)
        .allMatch(url -> url.matches("https://cdn\\.test/images/" + id + "/[0-9]+\\.webp"));
  }

  @Test
  void anAvifRequestOfAFixedQualityRecordsThatQuality() {
    start(transitions);
    UUID id = upload(new Output(OutputFormat.AVIF, 63, 0, 0), 2);

    await(() -> finished.size() == 1);

    assertThat(images(id))
        .hasSize(2)
        .allSatisfy(
            i -> {
              assertThat(i.outputPath()).endsWith("/" + i.imageId() + ".avif");
              assertThat(i.outputQuality()).isEqualTo(63);
            });
  }

  @Test
  void anImageInFlightWhenItsRequestIsDeletedLeavesNoObjectAndNoRow() throws Exception {
    deletedInFlight(Output.jpeg(50));
  }

  /** The object the late put left is removed under the name of the format it was written in. */
  @Test
  void aWebpImageInFlightWhenItsRequestIsDeletedLeavesNoObjectEither() throws Exception {
    deletedInFlight(new Output(OutputFormat.WEBP, 80, 0, 0));
  }

  private void deletedInFlight(Output output) throws Exception {
    CountDownLatch fetching = new CountDownLatch(1);
    CountDownLatch deleted = new CountDownLatch(1);
    origin =
        uri -> {
          fetching.countDown();
          try {
            deleted.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
        };
    start(transitions);
    UUID id = upload(output, 1);
    assertThat(fetching.await(10, TimeUnit.SECONDS)).isTrue();

    // The deletion, rows then folder, while the attempt is between its start and its put.
    assertThat(requests.delete(id, clock.instant())).isTrue();
    new LocalImageStore(storeRoot).deleteRequest(id);
    deleted.countDown();

    await(() -> queue.depth().jobs() == 0);
    Path folder = storeRoot.resolve(id.toString());
    await(() -> !Files.exists(folder) || isEmpty(folder));
    assertThat(requests.find(id)).isEmpty();
    assertThat(finished).isEmpty();
  }

  @Test
  void queuedImagesOfADeletedRequestSettleWithoutWork() {
    AtomicInteger fetches = new AtomicInteger();
    origin =
        uri -> {
          fetches.incrementAndGet();
          return new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
        };
    UUID id = upload(20);
    assertThat(requests.delete(id, clock.instant())).isTrue();

    start(transitions);

    await(() -> queue.depth().jobs() == 0);
    assertThat(fetches).hasValue(0);
    assertThat(storeRoot.resolve(id.toString())).doesNotExist();
  }

  private static boolean isEmpty(Path folder) {
    try (var files = Files.list(folder)) {
      return files.findAny().isEmpty();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void retriesARetryableFailureLaterAndKeepsItsReason() {
    origin =
        uri -> {
          throw ImageFailureException.retryable(FailureReason.CONNECTION, "connection refused");
        };
    start(transitions);
    UUID id = upload(1);

    await(() -> pendingAfter(image(id), 1));

    assertThat(image(id).error()).isEqualTo("connection refused");
    assertThat(finished).isEmpty();
    assertThat(queue.depth().jobs()).isEqualTo(1);
    origin = uri -> new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
    clock.advance(Duration.ofMinutes(2));
    await(() -> image(id).status() == ImageStatus.COMPLETED);
    assertThat(image(id).attempts()).isEqualTo(2);
  }

  @Test
  void aSourceThatSaysRetryAfterPausesItsHostAndItsOtherImagesGoBackUncounted() {
    perHost = 1;
    origin =
        uri -> {
          if (uri.getHost().equals("slow.example")) {
            throw ImageFailureException.retryable(FailureReason.HTTP_4XX, "HTTP 429 from source")
                .withRetryAfter(Duration.ofSeconds(30));
          }
          return new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
        };
    start(transitions);
    UUID id =
        upload(
            List.of(
                "http://slow.example/1",
                "http://slow.example/2",
                "http://slow.example/3",
                "http://fast.example/1",
                "http://fast.example/2"));

    await(
        () -> {
          List<Product.Image> all = images(id);
          List<Integer> slowAttempts =
              all.stream()
                  .filter(i -> i.inputUrl().contains("slow") && i.status() == ImageStatus.PENDING)
                  .map(Product.Image::attempts)
                  .sorted()
                  .toList();
          return slowAttempts.equals(List.of(0, 0, 1))
              && all.stream()
                  .filter(i -> i.inputUrl().contains("fast"))
                  .allMatch(i -> i.status() == ImageStatus.COMPLETED);
        });
    assertThat(images(id))
        .filteredOn(i -> i.attempts() == 1 && i.inputUrl().contains("slow"))
        .extracting(Product.Image::error)
        .containsExactly("HTTP 429 from source");
    stages.stop();
    stages = null;

    clock.advance(Duration.ofSeconds(31));
    List<JobQueue.ClaimedJob> again =
        queue.claim(java.util.Set.of(JobKind.IMAGE), 10, Duration.ofMinutes(1));
    assertThat(again)
        .as("the retried image was handed out twice; the ones set aside count once")
        .extracting(JobQueue.ClaimedJob::deliveries)
        .containsExactlyInAnyOrder(2, 1, 1);
  }

  /**
   * One origin that never answers fills the window (32) with its images; while the window is full
   * and half of it waits for that host, its further images go back to the queue, so a later request
   * from another host is claimed and finishes instead of waiting behind them.
   */
  @Test
  void aHostThatHoldsTheWholeWindowGivesWayToOtherHosts() throws Exception {
    perHost = 1;
    CountDownLatch stuck = new CountDownLatch(1);
    origin =
        uri -> {
          if (uri.getHost().equals("stuck.example")) {
            try {
              stuck.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
        };
    start(transitions);
    UUID slow =
        upload(IntStream.rangeClosed(1, 40).mapToObj(i -> "http://stuck.example/" + i).toList());
    await(
        () -> images(slow).stream().filter(i -> i.status() == ImageStatus.PROCESSING).count() > 0);
    UUID fast =
        upload(IntStream.rangeClosed(1, 5).mapToObj(i -> "http://fast.example/" + i).toList());

    try {
      await(() -> finished.contains(RequestStatus.COMPLETED));
      assertThat(images(fast)).allMatch(i -> i.status() == ImageStatus.COMPLETED);
      assertThat(images(slow)).noneMatch(i -> i.status() == ImageStatus.COMPLETED);
    } finally {
      stuck.countDown();
    }
    clock.advance(Duration.ofSeconds(1)); // the images set aside are due again
    await(() -> finished.size() == 2);
    assertThat(images(slow)).allMatch(i -> i.status() == ImageStatus.COMPLETED);
  }

  /**
   * A stop with downloads that never end: after the stop timeout each image is handed back, pending
   * again with its attempt not counted and its error untouched, its job due at once with its
   * delivery not counted; nothing is counted as processed, failed or retried, and the download is
   * cut short (interrupted).
   */
  @Test
  void aStopHandsBackTheImagesStuckMidFetchWithinTheDeadlineUncounted() throws Exception {
    stopTimeout = Duration.ofMillis(300);
    perHost = 8; // every image downloading at once, none waiting for a slot
    AtomicInteger interrupted = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    origin =
        uri -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            // What a real fetcher reports when its download is cut short; it must change nothing.
            throw ImageFailureException.retryable(FailureReason.CONNECTION, "interrupted");
          }
          return new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
        };
    List<Start> started = new CopyOnWriteArrayList<>();
    start(
        new DelegatingTransitions(transitions) {
          @Override
          public List<ImageWork> startAll(List<Start> starts) {
            started.addAll(starts);
            return super.startAll(starts);
          }
        });
    UUID id = upload(6);
    await(() -> images(id).stream().allMatch(i -> i.status() == ImageStatus.PROCESSING));
    long changeBefore = requests.find(id).orElseThrow().changeNumber();

    long began = System.nanoTime();
    stages.stop();
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    stages = null;

    assertThat(took).isGreaterThanOrEqualTo(stopTimeout).isLessThan(Duration.ofSeconds(10));
    assertThat(images(id))
        .hasSize(6)
        .allSatisfy(
            i -> {
              assertThat(i.status()).isEqualTo(ImageStatus.PENDING);
              assertThat(i.attempts()).isZero();
              assertThat(i.error()).isNull();
            });
    var request = requests.find(id).orElseThrow();
    assertThat(request.status()).isEqualTo(RequestStatus.PROCESSING);
    assertThat(request.processedImages()).isZero();
    assertThat(request.failedImages()).isZero();
    assertThat(request.changeNumber()).isGreaterThan(changeBefore);
    assertThat(finished).isEmpty();
    assertThat(registry.find(ProcessingMetrics.PROCESSED).counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
    await(() -> interrupted.get() == 6);

    // Due at once (the clock has not moved), each delivery not counted.
    List<JobQueue.ClaimedJob> again =
        queue.claim(java.util.Set.of(JobKind.IMAGE), 10, Duration.ofMinutes(1));
    assertThat(again).hasSize(6).allMatch(j -> j.deliveries() == 1);

    // A late outcome of a handed-back attempt is refused: the image is no longer its owner's.
    assertThat(started).hasSize(6);
    for (Start attempt : started) {
      assertThat(
              transitions.complete(attempt.imageId(), attempt.owner(), "/late.jpg", 1, 1).applied())
          .isFalse();
    }
    assertThat(images(id)).allMatch(i -> i.status() == ImageStatus.PENDING);
    never.countDown();
  }

  /** Images that finish within the stop timeout are recorded as usual, not handed back. */
  @Test
  void aStopLetsTheImagesInFlightFinishWithinTheDeadline() throws Exception {
    stopTimeout = Duration.ofSeconds(15);
    CountDownLatch release = new CountDownLatch(1);
    origin =
        uri -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException("cut short although within the deadline", e);
          }
          return new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
        };
    start(transitions);
    UUID id = upload(5);
    await(() -> images(id).stream().allMatch(i -> i.status() == ImageStatus.PROCESSING));

    Thread.ofVirtual()
        .start(
            () -> {
              pause(300);
              release.countDown();
            });
    stages.stop();
    stages = null;

    assertThat(images(id)).allMatch(i -> i.status() == ImageStatus.COMPLETED);
    assertThat(finished).containsExactly(RequestStatus.COMPLETED);
    assertThat(requests.find(id).orElseThrow().processedImages()).isEqualTo(5);
    assertThat(queue.depth().jobs()).isZero();
  }

  /** A stopped pipeline claims nothing more: jobs enqueued after the stop wait for others. */
  @Test
  void aStoppedPipelineClaimsNothingMore() {
    start(transitions);
    stages.stop();
    stages = null;
    upload(3);

    pause(200);

    assertThat(queue.depth().jobs()).isEqualTo(3);
    assertThat(queue.claim(java.util.Set.of(JobKind.IMAGE), 10, Duration.ofMinutes(1)))
        .hasSize(3)
        .allMatch(j -> j.deliveries() == 1);
  }

  /** When the context begins to close the claimer stops, before the stop() of the pipeline. */
  @Test
  void theClosingContextStopsClaimingBeforeTheStop() {
    start(transitions);
    stages.contextClosing();
    pause(200);
    upload(2);
    pause(300);

    assertThat(stages.isRunning()).isTrue();
    assertThat(queue.depth().jobs()).isEqualTo(2);
    assertThat(queue.claim(java.util.Set.of(JobKind.IMAGE), 10, Duration.ofMinutes(1)))
        .hasSize(2)
        .allMatch(j -> j.deliveries() == 1);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void failsForGoodAfterTheLastAttempt() {
    origin =
        uri -> {
          throw ImageFailureException.retryable(FailureReason.CONNECTION, "connection refused");
        };
    start(transitions);
    UUID id = upload(1);
    for (int attempt = 1; attempt < 3; attempt++) {
      int done = attempt;
      await(() -> pendingAfter(image(id), done));
      clock.advance(Duration.ofMinutes(2));
    }
    await(() -> image(id).status() == ImageStatus.FAILED);
    assertThat(image(id).error()).isEqualTo("connection refused");
    assertThat(finished).containsExactly(RequestStatus.FAILED);
  }

  @Test
  void failsAtOnceOnAPermanentFailure() {
    origin =
        uri -> {
          throw ImageFailureException.permanent(FailureReason.HTTP_4XX, "HTTP 404 from source");
        };
    start(transitions);
    UUID id = upload(1);

    await(() -> image(id).status() == ImageStatus.FAILED);

    assertThat(image(id).error()).isEqualTo("HTTP 404 from source");
    assertThat(image(id).attempts()).isEqualTo(1);
    assertThat(finished).containsExactly(RequestStatus.FAILED);
  }

  @Test
  void anUnexpectedErrorFailsTheImageWithoutDetails() {
    byte[] poisoned = jpegBytes();
    poisoned[3] = 'X';
    origin = uri -> new ImageFetcher.FetchedImage(uri, poisoned, "image/jpeg");
    start(transitions);
    UUID id = upload(1);

    await(() -> image(id).status() == ImageStatus.FAILED);

    assertThat(image(id).error()).isEqualTo("internal error while processing the image");
  }

  @Test
  void anImageWhoseAttemptsKeepDyingFailsPastItsBoundOfDeliveries() {
    UUID id = upload(1);
    for (int i = 0; i < 5; i++) { // bound: maxAttempts 3 + 2; each claim is one delivery
      JobQueue.ClaimedJob job = queue.claim(Duration.ofMinutes(1)).orElseThrow();
      transitions.start(Long.parseLong(job.ref()), job.handle());
      clock.advance(Duration.ofMinutes(2)); // the worker died: its lease runs out
    }
    AtomicInteger fetched = new AtomicInteger();
    origin =
        uri -> {
          fetched.incrementAndGet();
          return new ImageFetcher.FetchedImage(uri, jpegBytes(), "image/jpeg");
        };
    start(transitions);

    await(() -> image(id).status() == ImageStatus.FAILED);

    assertThat(image(id).error()).contains("interrupted or retried 5 times");
    assertThat(fetched).hasValue(0);
  }

  @Test
  void aRecordingThatFailsIsTriedAgainNotLost() {
    AtomicInteger records = new AtomicInteger();
    ImageTransitions lockTimeoutOnce =
        new DelegatingTransitions(transitions) {
          @Override
          public List<Outcome> record(List<Change> changes) {
            if (records.incrementAndGet() == 1) {
              throw new CannotAcquireLockException("Timeout trying to lock table IMAGES");
            }
            return super.record(changes);
          }
        };
    start(lockTimeoutOnce);
    UUID id = upload(3);

    await(() -> finished.size() == 1);

    assertThat(images(id)).allMatch(i -> i.status() == ImageStatus.COMPLETED);
    assertThat(records.get()).isGreaterThan(1);
  }

  /** Passes every call to the real transitions, for tests that change one of them. */
  private static class DelegatingTransitions implements ImageTransitions {
    private final ImageTransitions delegate;

    DelegatingTransitions(ImageTransitions delegate) {
      this.delegate = delegate;
    }

    @Override
    public java.util.Optional<ImageWork> start(long imageId, String owner) {
      return delegate.start(imageId, owner);
    }

    @Override
    public List<ImageWork> startAll(List<Start> starts) {
      return delegate.startAll(starts);
    }

    @Override
    public Outcome complete(
        long imageId, String owner, String outputPath, long inputBytes, long outputBytes) {
      return delegate.complete(imageId, owner, outputPath, inputBytes, outputBytes);
    }

    @Override
    public Outcome fail(long imageId, String owner, String error) {
      return delegate.fail(imageId, owner, error);
    }

    @Override
    public boolean retry(long imageId, String owner, String error) {
      return delegate.retry(imageId, owner, error);
    }

    @Override
    public boolean handBack(long imageId, String owner) {
      return delegate.handBack(imageId, owner);
    }

    @Override
    public List<Outcome> record(List<Change> changes) {
      return delegate.record(changes);
    }
  }

  private static byte[] jpegBytes() {
    return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 0, 0};
  }

  /** Read once: two reads may see two different states. */
  private static boolean pendingAfter(Product.Image image, int attempts) {
    return image.status() == ImageStatus.PENDING && image.attempts() == attempts;
  }

  private Product.Image image(UUID id) {
    return images(id).getFirst();
  }

  private List<Product.Image> images(UUID id) {
    return requests.products(id).getFirst().images();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
