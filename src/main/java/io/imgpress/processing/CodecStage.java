package io.imgpress.processing;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.ImageFetcher.FetchedImage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Decodes and encodes fetched images on a pool sized to the CPU ({@code
 * imgpress.processing.workers} threads), each image once its pixels fit the shared pixel budget
 * ({@link ImagePipeline}). The queue before it is bounded by the byte budget the fetched bodies
 * hold until they are encoded.
 */
final class CodecStage {

  private final ImagePipeline pipeline;
  private final StoreStage next;
  private final Outcomes outcomes;
  private final ThreadPoolExecutor pool;
  private final StageMeter meter;

  CodecStage(
      ImagePipeline pipeline,
      StoreStage next,
      Outcomes outcomes,
      int threads,
      MeterRegistry registry) {
    this.pipeline = pipeline;
    this.next = next;
    this.outcomes = outcomes;
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("imgpress-codec-", 1).factory());
    this.meter = new StageMeter(registry, "codec", () -> pool.getQueue().size());
  }

  void submit(InFlightImage image, FetchedImage fetched) {
    try {
      pool.execute(new Job(image, fetched));
    } catch (RejectedExecutionException stopped) {
      // Stopped: the image was handed back already; its body's share of the budget goes back.
      fetched.close();
    }
  }

  /** One image to encode; a type of its own so that a stop can free the bodies it drops. */
  private final class Job implements Runnable {
    private final InFlightImage image;
    private final FetchedImage fetched;

    Job(InFlightImage image, FetchedImage fetched) {
      this.image = image;
      this.fetched = fetched;
    }

    FetchedImage fetched() {
      return fetched;
    }

    @Override
    public void run() {
      CodecStage.this.run(image, fetched);
    }
  }

  private void run(InFlightImage image, FetchedImage fetched) {
    MDC.put("requestId", image.work().requestId().toString());
    MDC.put("imageId", Long.toString(image.imageId()));
    EncodedImage encoded;
    try (fetched;
        var span = meter.begin(1)) {
      encoded = pipeline.encode(fetched.bytes(), image.work().output());
    } catch (ImageFailureException e) {
      outcomes.failed(image, e);
      return;
    } catch (Throwable e) {
      outcomes.internal(image, e);
      return;
    } finally {
      MDC.remove("requestId");
      MDC.remove("imageId");
    }
    next.submit(image, encoded, fetched.bytes().length);
  }

  /**
   * Lets queued images finish within the deadline, then interrupts the rest, whose images the
   * caller hands back.
   */
  void stop(Duration deadline) throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      stopNow();
    }
  }

  /** Drops the queued images and interrupts those being encoded: they were handed back. */
  void stopNow() {
    for (Runnable dropped : pool.shutdownNow()) {
      if (dropped instanceof Job job) {
        job.fetched().close();
      }
    }
  }
}
