package io.imgpress.processing;

import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * Downloads images many at once, each on a virtual thread of its own, within the global and
 * per-host caps of {@link FetchLimits}; a fetched body holds its size of the {@link ByteBudget}
 * until it is encoded, so when the codec falls behind the fetchers wait instead of filling the
 * heap. A source that answers 429 or 503 with {@code Retry-After} pauses its host: its other images
 * are handed back to the queue until then, their attempts not counted, so they hold no place in the
 * pipeline while other hosts' images go on. Likewise a host that already has half the in-flight
 * window waiting for a download slot (and at least four times its slots, so a small window never
 * sets anything aside) gets its further images handed back for a moment: one slow origin can hold
 * at most half the window, and other hosts' images are still claimed. The check is made as each
 * image arrives, so it needs no view of the whole window; with one host it costs a few set-asides
 * that come back before the host's backlog has drained.
 */
final class FetchStage {

  private final ImageFetcher fetcher;
  private final FetchLimits limits;
  private final ByteBudget bytes;
  private final CodecStage next;
  private final Outcomes outcomes;
  private final Clock clock;
  private final StageMeter meter;
  private final AtomicInteger started = new AtomicInteger();
  private final int hostBacklog;
  private final Set<Thread> downloading = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  /** How long an image set aside for a crowded host stays in the queue. */
  static final Duration CROWDED_HOST_WAIT = Duration.ofMillis(500);

  FetchStage(
      ImageFetcher fetcher,
      FetchLimits limits,
      ByteBudget bytes,
      CodecStage next,
      Outcomes outcomes,
      Clock clock,
      int window,
      MeterRegistry registry) {
    this.hostBacklog = Math.max(window / 2, 4 * limits.maxConcurrentPerHost());
    this.fetcher = fetcher;
    this.limits = limits;
    this.bytes = bytes;
    this.next = next;
    this.outcomes = outcomes;
    this.clock = clock;
    this.meter = new StageMeter(registry, "fetch", limits::waiting);
  }

  void submit(InFlightImage image) {
    Thread.ofVirtual().name("imgpress-fetch-" + started.incrementAndGet()).start(() -> run(image));
  }

  private void run(InFlightImage image) {
    if (stopped) {
      return; // the image was handed back before its download began
    }
    downloading.add(Thread.currentThread());
    MDC.put("requestId", image.work().requestId().toString());
    MDC.put("imageId", Long.toString(image.imageId()));
    try {
      FetchedImage fetched = fetch(image);
      if (fetched != null) {
        next.submit(image, fetched);
      }
    } finally {
      downloading.remove(Thread.currentThread());
      MDC.clear();
    }
  }

  /**
   * Cuts short every download under way and starts no more: at stop, once the images in flight were
   * handed back. An interrupted download reports its image as handed back, which changes nothing
   * more.
   */
  void stopNow() {
    stopped = true;
    downloading.forEach(Thread::interrupt);
  }

  /** The body, or null when the image's outcome is already decided. */
  private FetchedImage fetch(InFlightImage image) {
    String host = image.host();
    if (limits.waiting(host) >= hostBacklog) {
      outcomes.handBack(image, clock.instant().plus(CROWDED_HOST_WAIT));
      return null;
    }
    try (FetchLimits.Permit permit = limits.acquire(host);
        var span = meter.begin(1)) {
      try {
        return fetcher.fetch(URI.create(image.work().inputUrl()), bytes);
      } catch (ImageFailureException e) {
        // Paused before the slot is given back, so that no waiter slips in before the pause.
        e.retryAfter().ifPresent(wait -> limits.pause(host, clock.instant().plus(wait)));
        throw e;
      }
    } catch (FetchLimits.HostPausedException e) {
      outcomes.handBack(image, e.until());
    } catch (ImageFailureException e) {
      outcomes.failed(image, e.orReason(FailureReason.OTHER));
    } catch (InterruptedException e) {
      // Stopping: the image goes back untouched.
      outcomes.handBack(image, clock.instant());
    } catch (Throwable e) {
      outcomes.internal(image, e);
    }
    return null;
  }
}
