package io.imgpress.intake;

import static io.imgpress.intake.CsvFixtures.HEADER;
import static io.imgpress.intake.CsvFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imgpress.processing.Codec;
import io.imgpress.processing.CodecEngine;
import io.imgpress.processing.ImageFormat;
import io.imgpress.processing.ImageProperties;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.OutboxProperties;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.queue.QueueMetrics;
import io.imgpress.queue.WorkSignal;
import io.imgpress.queue.jdbc.JdbcQueues;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.StagedUpload;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.security.SecurityProperties;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upload and its intake job on the real JDBC adapters: what is stored and queued, and that a
 * refused upload leaves nothing behind.
 */
class UploadServiceTest {

  static final String CSV =
      HEADER + "1,Shoe,\"http://o/a.jpg,http://o/b.jpg\"\n2,Hat,http://o/c.jpg\n";

  final MutableClock clock = new MutableClock();
  final RecordingSignal signal = new RecordingSignal();
  RequestRepository requests;
  JobQueue queue;
  OutboxRelay relay;
  IntakeProperties intakeProperties = IntakeProperties.defaults();
  SecurityProperties.Limits limits = new SecurityProperties.Limits(10, 100_000);
  WritableFormats writable = new WritableFormats((CodecEngine) null);
  UploadService uploads;
  IntakeJobHandler intake;

  @BeforeEach
  void wire() {
    DataSource ds = TestDatabase.h2();
    requests = JdbcStores.requests(ds, clock);
    queue = JdbcQueues.queue(ds, clock);
    relay =
        new OutboxRelay(JdbcStores.outbox(ds, clock), queue, signal, OutboxProperties.defaults());
    uploads =
        new UploadService(
            new OwnerLimits(
                requests,
                new SecurityProperties(new SecurityProperties.Cors(List.of()), List.of(), limits),
                clock),
            writable,
            new CsvParser(IntakeProperties.defaults()),
            // Open to every address: this test is about the upload, not the address check.
            new WebhookUrlCheck(
                true,
                host -> {
                  throw new AssertionError("no lookup expected for " + host);
                },
                java.time.Duration.ofSeconds(1)),
            requests,
            relay,
            new QueueMetrics(queue, clock),
            intakeProperties,
            new ImageProperties(50_000_000, 42, 1000, Duration.ofSeconds(30), 320));
    intake =
        new IntakeJobHandler(requests, queue, relay, List.of(), IntakeProperties.defaults(), clock);
  }

  @Test
  void refusesUploadsWhileTheBacklogIsFullAndTakesThemAgainOnceItDrains() {
    IntakeProperties d = IntakeProperties.defaults();
    intakeProperties =
        new IntakeProperties(
            d.maxFileSize(),
            d.maxRows(),
            d.maxUrlsPerRow(),
            d.maxImages(),
            d.maxUrlLength(),
            d.maxProductNameLength(),
            d.maxErrors(),
            d.maxAttempts(),
            d.initialBackoff(),
            d.maxBackoff(),
            2,
            Duration.ofSeconds(45));
    wire();
    uploads.submit(null, utf8(CSV), null, OutputFields.quality(null));
    uploads.submit(null, utf8(CSV), null, OutputFields.quality(null));
    relay.relayAll();
    clock.advance(Duration.ofSeconds(5)); // the depth is read at most every 5 s

    BacklogFullException full =
        catchThrowableOfType(
            BacklogFullException.class,
            () -> uploads.submit(null, utf8(CSV), null, OutputFields.quality(null)));

    assertThat(full.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    assertThat(full)
        .hasMessage(
            "2 jobs are waiting, more than this service takes before it refuses new uploads (2);"
                + " try again later");
    assertThat(requests.recent(0, 10)).as("nothing stored").hasSize(2);
    // The two intake jobs are done and leave the queue.
    queue.claim(EnumSet.allOf(JobKind.class), 100, Duration.ofMinutes(1)).forEach(queue::complete);
    clock.advance(Duration.ofSeconds(5));
    assertThat(uploads.submit(null, utf8(CSV), null, OutputFields.quality(null)).id()).isNotNull();
  }

  @Test
  void storesTheRequestAndQueuesItsIntakeJob() {
    NewRequest request =
        uploads.submit(
            null, utf8(CSV), " https://hooks.example.com/done ", OutputFields.quality("80"));

    assertThat(request.quality()).isEqualTo(80);
    assertThat(request.webhookUrl()).isEqualTo("https://hooks.example.com/done");
    assertThat(request.products())
        .containsExactly(
            new NewProduct(1, "Shoe", List.of("http://o/a.jpg", "http://o/b.jpg")),
            new NewProduct(2, "Hat", List.of("http://o/c.jpg")));
    assertThat(requests.staged(request.id()).map(StagedUpload::products))
        .contains(request.products());
    Request stored = requests.find(request.id()).orElseThrow();
    assertThat(stored.quality()).isEqualTo(80);
    assertThat(stored.webhook().url()).isEqualTo("https://hooks.example.com/done");
    assertThat(stored.createdAt()).isEqualTo(clock.instant());
    assertThat(claimAll()).containsExactly(JobKind.INTAKE + " " + request.id());
    assertThat(signal.calls).containsExactly(1);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void takesTheDefaultQualityWhenNoneIsGiven(String quality) {
    assertThat(uploads.submit(null, utf8(CSV), null, OutputFields.quality(quality)).quality())
        .isEqualTo(42);
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "100, 100", "' 7 ', 7"})
  void takesAQualityFrom1To100(String raw, int quality) {
    assertThat(uploads.submit(null, utf8(CSV), null, OutputFields.quality(raw)).quality())
        .isEqualTo(quality);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "101", "-5", "50.5", "high", "99999999999"})
  void refusesAnyOtherQualityAndStoresNothing(String raw) {
    InvalidUploadException e =
        catchThrowableOfType(
            InvalidUploadException.class,
            () -> uploads.submit(null, utf8(CSV), null, OutputFields.quality(raw)));

    assertThat(e).hasMessage("quality must be a whole number from 1 to 100, or auto");
    assertThat(e.field()).isEqualTo("quality");
    assertNothingStored();
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "AUTO", " Auto "})
  void takesAutomaticQualityInAnyCase(String raw) {
    NewRequest request = uploads.submit(null, utf8(CSV), null, OutputFields.quality(raw));

    assertThat(request.output().autoQuality()).isTrue();
    assertThat(requests.find(request.id()).orElseThrow().quality()).isEqualTo(Output.AUTO_QUALITY);
  }

  @Test
  void withoutOutputFieldsTheOutputsAreJpegsAtTheDefaultQualityAndFullSize() {
    NewRequest request =
        uploads.submit(null, utf8(CSV), null, new OutputFields(null, " ", null, ""));

    assertThat(request.output()).isEqualTo(Output.jpeg(42));
  }

  @Test
  void takesEveryOutputField() {
    NewRequest request =
        uploads.submit(null, utf8(CSV), null, new OutputFields("auto", "WebP", "1600", " 900 "));

    assertThat(request.output())
        .isEqualTo(new Output(OutputFormat.WEBP, Output.AUTO_QUALITY, 1600, 900));
    assertThat(requests.find(request.id()).orElseThrow().output()).isEqualTo(request.output());
  }

  @ParameterizedTest
  @CsvSource({"jpeg, JPEG", "jpg, JPEG", "JPG, JPEG", "webp, WEBP", "avif, AVIF", "' Avif ', AVIF"})
  void takesEachFormatByItsApiName(String raw, OutputFormat format) {
    assertThat(
            uploads.submit(null, utf8(CSV), null, new OutputFields(null, raw, null, null)).output())
        .isEqualTo(new Output(format, 42, 0, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "gif", "jpeg2000", "image/webp", ".webp", "webp,avif"})
  void refusesAnyOtherFormatAndStoresNothing(String raw) {
    InvalidUploadException e =
        catchThrowableOfType(
            InvalidUploadException.class,
            () -> uploads.submit(null, utf8(CSV), null, new OutputFields(null, raw, null, null)));

    assertThat(e).hasMessage("format must be jpeg, webp or avif");
    assertThat(e.field()).isEqualTo("format");
    assertNothingStored();
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "16384, 16384", "' 800 ', 800"})
  void takesABoundingBoxFrom1To16384Pixels(String raw, int pixels) {
    assertThat(
            uploads.submit(null, utf8(CSV), null, new OutputFields(null, null, raw, raw)).output())
        .isEqualTo(new Output(OutputFormat.JPEG, 42, pixels, pixels));
    assertThat(
            uploads.submit(null, utf8(CSV), null, new OutputFields(null, null, null, raw)).output())
        .as("one side alone")
        .isEqualTo(new Output(OutputFormat.JPEG, 42, 0, pixels));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "16385", "1.5", "wide", "99999999999", "800px"})
  void refusesAnyOtherBoundAndNamesItsSide(String raw) {
    InvalidUploadException width =
        catchThrowableOfType(
            InvalidUploadException.class,
            () -> uploads.submit(null, utf8(CSV), null, new OutputFields(null, null, raw, null)));
    InvalidUploadException height =
        catchThrowableOfType(
            InvalidUploadException.class,
            () -> uploads.submit(null, utf8(CSV), null, new OutputFields(null, null, "10", raw)));

    assertThat(width).hasMessage("maxWidth must be a whole number of pixels from 1 to 16384");
    assertThat(width.field()).isEqualTo("maxWidth");
    assertThat(height).hasMessage("maxHeight must be a whole number of pixels from 1 to 16384");
    assertThat(height.field()).isEqualTo("maxHeight");
    assertNothingStored();
  }

  @Test
  void aFormatThePortableEngineDoesNotWriteIsRefusedNamingTheNativeEngine() {
    writable = new WritableFormats(engine("portable", "25", EnumSet.of(OutputFormat.JPEG)));
    wire();

    InvalidUploadException e =
        catchThrowableOfType(
            InvalidUploadException.class,
            () ->
                uploads.submit(null, utf8(CSV), null, new OutputFields(null, "avif", null, null)));

    assertThat(e)
        .hasMessage(
            "avif output needs the native engine (libvips); this service runs the portable"
                + " engine");
    assertThat(e.field()).isEqualTo("format");
    assertNothingStored();
    assertThat(uploads.submit(null, utf8(CSV), null, new OutputFields(null, "jpeg", null, null)))
        .isNotNull();
  }

  @Test
  void theNativeEngineTakesWhatItWritesAndNamesItselfForTheRest() {
    writable =
        new WritableFormats(
            engine("native", "8.14.1", EnumSet.of(OutputFormat.JPEG, OutputFormat.WEBP)));
    wire();

    assertThat(
            uploads
                .submit(null, utf8(CSV), null, new OutputFields(null, "webp", null, null))
                .output()
                .format())
        .isEqualTo(OutputFormat.WEBP);
    assertThat(
            catchThrowableOfType(
                InvalidUploadException.class,
                () ->
                    uploads.submit(
                        null, utf8(CSV), null, new OutputFields(null, "avif", null, null))))
        .hasMessage("avif output is not written by this service's engine (native, libvips 8.14.1)");
  }

  /** An engine whose codec writes {@code formats}; nothing here decodes or encodes. */
  private static CodecEngine engine(String name, String version, Set<OutputFormat> formats) {
    Codec codec =
        new Codec() {
          @Override
          public Set<OutputFormat> encodes() {
            return formats;
          }

          @Override
          public ImageInfo probe(byte[] source, ImageFormat format) {
            throw new UnsupportedOperationException();
          }

          @Override
          public EncodedImage compress(byte[] source, ImageFormat format, int quality) {
            throw new UnsupportedOperationException();
          }
        };
    return new CodecEngine(name, version, codec);
  }

  @Test
  void aRejectedCsvStoresNothing() {
    catchThrowableOfType(
        CsvRejectedException.class,
        () -> uploads.submit(null, utf8(HEADER + "x,A,b\n"), null, OutputFields.quality(null)));

    assertNothingStored();
  }

  @Test
  void anInvalidWebhookStoresNothing() {
    catchThrowableOfType(
        InvalidUploadException.class,
        () -> uploads.submit(null, utf8(CSV), "ftp://x/y", OutputFields.quality(null)));

    assertNothingStored();
  }

  @Test
  void theIntakeJobExpandsTheRequestAndQueuesOneJobPerImage() {
    NewRequest request = uploads.submit(null, utf8(CSV), null, OutputFields.quality(null));
    ClaimedJob job = claim().orElseThrow();

    assertThat(intake.kind()).isEqualTo(JobKind.INTAKE);
    intake.handle(job);

    assertThat(requests.staged(request.id())).isEmpty();
    List<Long> imageIds =
        requests.products(request.id()).stream()
            .flatMap(p -> p.images().stream())
            .map(i -> i.imageId())
            .toList();
    assertThat(imageIds).hasSize(3);
    assertThat(claimAll())
        .containsExactlyElementsOf(imageIds.stream().map(id -> JobKind.IMAGE + " " + id).toList());
    assertThat(signal.calls).containsExactly(1, 3);
  }

  @Test
  void aRepeatedIntakeJobQueuesNothingMore() {
    uploads.submit(null, utf8(CSV), null, OutputFields.quality(null));
    ClaimedJob job = claim().orElseThrow();
    intake.handle(job);
    claimAll();

    // The same delivery again: the upload is expanded already, so nothing is recorded.
    intake.handle(job);

    assertThat(queue.depth().jobs()).as("only the image jobs claimed above").isEqualTo(3);
    assertThat(claimAll()).isEmpty();
    assertThat(signal.calls).containsExactly(1, 3);
  }

  @Test
  void anOwnerAtTheUnfinishedLimitIsRefusedUntilOneFinishes() {
    limits = new SecurityProperties.Limits(2, 100_000);
    wire();
    NewRequest first = uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null));
    uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null));

    LimitReachedException refused =
        catchThrowableOfType(
            LimitReachedException.class,
            () -> uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null)));

    assertThat(refused.limit()).isEqualTo(LimitReachedException.Limit.MAX_UNFINISHED_REQUESTS);
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(refused).hasMessageContaining("2 of your requests are not finished");
    assertThat(requests.recent("alice", 0, 10)).as("nothing stored").hasSize(2);
    assertThat(uploads.submit("bob", utf8(CSV), null, OutputFields.quality(null)).owner())
        .as("another owner has limits of their own")
        .isEqualTo("bob");
    assertThat(uploads.submit(null, utf8(CSV), null, OutputFields.quality(null)).owner())
        .as("without keys there are no per-owner limits")
        .isNull();

    requests.failStaged(first.id(), "finished");
    assertThat(uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null)).owner())
        .isEqualTo("alice");
  }

  @Test
  void anOwnerOverTheHourlyImagesIsToldWhenEnoughOfTheHourHasPassed() {
    limits = new SecurityProperties.Limits(100, 7);
    wire();
    uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null)); // 3 images at 0:00
    clock.advance(Duration.ofMinutes(10));
    uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null)); // 3 more at 0:10
    clock.advance(Duration.ofMinutes(10));

    LimitReachedException refused =
        catchThrowableOfType(
            LimitReachedException.class,
            () -> uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null)));

    assertThat(refused.limit()).isEqualTo(LimitReachedException.Limit.IMAGES_PER_HOUR);
    // The 0:00 upload leaves the window one second after 1:00, 40 minutes from now.
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(40 * 60 + 1));
    assertThat(refused).hasMessageContaining("you uploaded 6 images in the last hour");
    assertThat(requests.recent("alice", 0, 10)).as("nothing stored").hasSize(2);
    assertThat(uploads.submit("bob", utf8(CSV), null, OutputFields.quality(null)).owner())
        .isEqualTo("bob");

    clock.advance(Duration.ofSeconds(40 * 60));
    assertThat(
            catchThrowableOfType(
                LimitReachedException.class,
                () -> uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null))))
        .as("a second early")
        .isNotNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null)).totalImages())
        .isEqualTo(3);
  }

  @Test
  void anUploadLargerThanTheHourlyLimitSaysSoAndToSplitIt() {
    limits = new SecurityProperties.Limits(100, 2);
    wire();

    LimitReachedException refused =
        catchThrowableOfType(
            LimitReachedException.class,
            () -> uploads.submit("alice", utf8(CSV), null, OutputFields.quality(null)));

    assertThat(refused.retryAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(refused)
        .hasMessageContaining("this upload has 3 images")
        .hasMessageContaining("split");
    assertNothingStored();
  }

  private void assertNothingStored() {
    assertThat(requests.recent(0, 10)).isEmpty();
    assertThat(queue.depth().jobs()).isZero();
    assertThat(signal.calls).isEmpty();
  }

  private Optional<ClaimedJob> claim() {
    relay.relayAll();
    return queue.claim(Duration.ofMinutes(1));
  }

  /** Claims every due job, as "KIND ref". */
  private List<String> claimAll() {
    relay.relayAll();
    List<String> jobs = new ArrayList<>();
    for (Optional<ClaimedJob> job = claim(); job.isPresent(); job = claim()) {
      jobs.add(job.get().kind() + " " + job.get().ref());
    }
    return jobs;
  }

  /** Records each wake-up with its count. */
  static final class RecordingSignal extends WorkSignal {
    final List<Integer> calls = new ArrayList<>();

    @Override
    public void jobsAdded(int count) {
      calls.add(count);
      super.jobsAdded(count);
    }
  }
}
