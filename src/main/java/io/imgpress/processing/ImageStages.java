package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Reschedule;
import io.imgpress.queue.OutboxRelay;
import io.imgpress.queue.WorkSignal;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.ImageWork;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.RequestFinishedListener;
import io.imgpress.storage.ImageStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Works images through the stages: one claimer takes image jobs in batches while the in-flight
 * window has room, starts them in one step and hands each to the {@link FetchStage} (many downloads
 * at once), whose bodies go to the {@link CodecStage} (one thread per core), whose outputs go to
 * the {@link StoreStage} (stored in batches), whose results go to the {@link Recorder} (recorded in
 * group commits). So a distant origin costs latency only, and bookkeeping is paid per batch, not
 * per image.
 *
 * <p>The leases of all images in flight are renewed together every third of the lease; an image
 * whose lease was lost is still finished, but the request store refuses its outcome (the job's
 * lease handle is the image's owner) and the worker that took it over decides. A job handed out
 * more often than {@code max-deliveries} fails its image instead of trying it again.
 *
 * <p>At stop (from the moment the context begins to close) the claimer stops first; the images in
 * flight get {@code imgpress.processing.stop-timeout} to finish and be recorded as usual. Those
 * still unfinished then are handed back: each goes back to pending, its attempt not counted, and
 * its job is due again at once, its delivery not counted either, so another worker takes it
 * straight away. Their downloads and encodings are cut short, and whatever they still report is
 * refused (see {@link Outcomes}).
 */
@ConditionalOnWorkerRole
@Component
class ImageStages implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ImageStages.class);

  /** Most jobs taken in one claim. */
  static final int CLAIM_BATCH = 64;

  private static final Set<JobKind> IMAGES = Set.of(JobKind.IMAGE);

  /** How long the hand-backs at stop may take to be recorded. */
  private static final Duration HAND_BACK_WAIT = Duration.ofSeconds(10);

  private final JobQueue queue;
  private final WorkSignal signal;
  private final ImageTransitions transitions;
  private final ProcessingProperties properties;
  private final ProcessingMetrics metrics;
  private final InFlight inFlight;
  private final int claimBatch;
  private final Recorder recorder;
  private final Outcomes outcomes;
  private final StoreStage store;
  private final CodecStage codec;
  private final FetchStage fetch;
  private final Clock clock;
  private volatile boolean running;
  private volatile boolean claiming;
  private volatile boolean handingBack;
  private final AtomicLong stopBegan = new AtomicLong();
  private volatile Thread claimer;
  private WorkSignal.Waiter waiter;
  private ScheduledExecutorService renewer;

  ImageStages(
      JobQueue queue,
      WorkSignal signal,
      ImageTransitions transitions,
      OutboxRelay relay,
      List<RequestFinishedListener> listeners,
      ImagePipeline pipeline,
      ImageFetcher fetcher,
      ImageStore imageStore,
      ProcessingProperties properties,
      FetchLimits limits,
      ByteBudget bytes,
      ProcessingMetrics metrics,
      MeterRegistry registry,
      Clock clock) {
    this.queue = queue;
    this.signal = signal;
    this.transitions = transitions;
    this.properties = properties;
    this.metrics = metrics;
    this.clock = clock;
    this.inFlight = new InFlight(properties.maxInFlight());
    // Claims in batches of a quarter of the window, so that each claim and start pays its commit
    // for many images instead of one image as each leaves.
    this.claimBatch = Math.max(1, Math.min(CLAIM_BATCH, properties.maxInFlight() / 4));
    this.recorder =
        new Recorder(
            transitions, imageStore, queue, listeners, relay::kick, inFlight::remove, registry);
    this.outcomes = new Outcomes(recorder, metrics, properties, clock);
    this.store = new StoreStage(imageStore, outcomes, 2, registry);
    this.codec = new CodecStage(pipeline, store, outcomes, properties.codecThreads(), registry);
    this.fetch =
        new FetchStage(
            metrics.timed(fetcher),
            limits,
            bytes,
            codec,
            outcomes,
            clock,
            properties.maxInFlight(),
            registry);
    Gauge.builder("imgpress.pipeline.in.flight", inFlight, InFlight::size)
        .description("Images claimed and not yet recorded")
        .register(registry);
    Gauge.builder(
            "imgpress.pipeline.buffer.used", bytes, b -> b.capacityBytes() - b.availableBytes())
        .description("Bytes of downloaded sources held until they are encoded")
        .baseUnit("bytes")
        .register(registry);
    log.info(
        "Image pipeline: {} in flight, {} codec threads, {} MB for downloaded sources",
        properties.maxInFlight(),
        properties.codecThreads(),
        bytes.capacityBytes() >> 20);
  }

  @Override
  public synchronized void start() {
    running = true;
    claiming = true;
    handingBack = false;
    stopBegan.set(0);
    recorder.start();
    store.start();
    waiter = signal.waiter(1);
    long period = Math.max(1, properties.lease().toMillis() / 3);
    renewer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("imgpress-image-leases").daemon().factory());
    renewer.scheduleAtFixedRate(this::renewLeases, period, period, TimeUnit.MILLISECONDS);
    claimer = Thread.ofPlatform().name("imgpress-claimer").start(this::claimLoop);
  }

  private void claimLoop() {
    while (claiming) {
      try {
        if (!inFlight.awaitRoom(claimBatch, properties.pollInterval())) {
          continue;
        }
        int room = inFlight.room();
        List<ClaimedJob> jobs =
            queue.claim(IMAGES, Math.min(room, CLAIM_BATCH), properties.lease());
        if (jobs.isEmpty()) {
          waiter.await(properties.pollInterval());
        } else if (!claiming) {
          release(jobs); // claimed while the stop began: not started, so simply put back
        } else {
          begin(jobs);
        }
      } catch (InterruptedException e) {
        // Stopping: the loop condition decides.
      } catch (Throwable e) {
        // The store may be briefly unavailable, or memory short; try again later.
        log.error("Could not claim images", e);
        pause();
      }
    }
  }

  private void begin(List<ClaimedJob> jobs) {
    List<Start> starts =
        jobs.stream().map(j -> new Start(Long.parseLong(j.ref()), j.handle())).toList();
    Map<Long, ImageWork> started = new HashMap<>();
    transitions.startAll(starts).forEach(w -> started.put(w.imageId(), w));
    List<ClaimedJob> settled = new ArrayList<>();
    for (ClaimedJob job : jobs) {
      ImageWork work = started.remove(Long.parseLong(job.ref()));
      if (work == null) {
        settled.add(job); // final already: left over by a crash between the store and the queue
        continue;
      }
      InFlightImage image = new InFlightImage(job, work, metrics.start());
      inFlight.add(image);
      if (job.deliveries() > properties.deliveryBound()) {
        outcomes.giveUp(image);
      } else if (handingBack) {
        // A claim that outlasted the stop's deadline: back at once, like the others in flight.
        outcomes.handBackAtStop(image, clock.instant());
      } else {
        fetch.submit(image);
      }
    }
    if (!settled.isEmpty()) {
      queue.completeAll(settled);
    }
  }

  private void release(List<ClaimedJob> jobs) {
    queue.rescheduleAll(jobs.stream().map(j -> new Reschedule(j, clock.instant(), true)).toList());
  }

  private void renewLeases() {
    try {
      List<ClaimedJob> jobs = inFlight.jobs();
      if (jobs.isEmpty()) {
        return;
      }
      List<Boolean> held = queue.renewAll(jobs, properties.lease());
      long lost = held.stream().filter(h -> !h).count();
      if (lost > 0) {
        log.warn(
            "Lost the lease on {} image job(s); other workers may run them, and this process's"
                + " outcomes for them will be refused",
            lost);
      }
    } catch (Throwable e) {
      // The leases may still hold: try again at the next beat.
      log.warn("Could not renew the leases of images in flight", e);
    }
  }

  private void pause() {
    try {
      Thread.sleep(properties.pollInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops claiming, lets the images in flight finish within {@code stop-timeout}, hands back those
   * still unfinished, then stops the stages once what they hold is recorded.
   */
  /**
   * Stops claiming as soon as the context begins to close (after readiness went down), before the
   * lifecycle beans are stopped one by one: so the stop timeout runs for this pipeline and the job
   * workers at the same time instead of one after the other.
   */
  @EventListener(ContextClosedEvent.class)
  void contextClosing() {
    beginStop();
  }

  private void beginStop() {
    claiming = false;
    stopBegan.compareAndSet(0, System.nanoTime());
    Thread current = claimer;
    if (current != null) {
      current.interrupt();
    }
  }

  @Override
  public synchronized void stop() {
    beginStop();
    running = false;
    if (claimer == null) {
      return;
    }
    signal.remove(waiter);
    long end = stopBegan.get() + properties.stopTimeout().toNanos();
    try {
      claimer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      if (!inFlight.awaitEmpty(Duration.ofNanos(Math.max(0, end - System.nanoTime())))) {
        handBackUnfinished();
      }
      codec.stop(Duration.ofSeconds(1));
      store.stop(Duration.ofSeconds(5));
      recorder.stop(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      renewer.shutdownNow();
      claimer = null;
    }
  }

  /**
   * Hands every image still in flight back to the queue, due at once, and cuts short the work on
   * them; waits until the hand-backs are recorded, so none is lost when the process exits.
   */
  private void handBackUnfinished() throws InterruptedException {
    handingBack = true; // before the snapshot: a claim still under way then hands back its own
    List<InFlightImage> unfinished = inFlight.images();
    log.warn(
        "{} image(s) unfinished {} s after the stop began; handing them back to the queue",
        unfinished.size(),
        properties.stopTimeout().toSeconds());
    for (InFlightImage image : unfinished) {
      outcomes.handBackAtStop(image, clock.instant());
    }
    fetch.stopNow();
    codec.stopNow();
    if (!inFlight.awaitEmpty(HAND_BACK_WAIT)) {
      log.warn(
          "{} image(s) could not be handed back; they run again after their lease",
          inFlight.size());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
