package io.imgpress.processing;

import io.imgpress.ConditionalOnWorkerRole;
import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.processing.Codec.ImageInfo;
import io.imgpress.request.Output;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The CPU steps one image goes through once its bytes are here, in order: sniff (and refuse a
 * format the codec does not decode), count the frames, probe and guard the pixels, decode +
 * normalise + encode (the codec, once the image's pixels fit the shared {@link PixelBudget}, within
 * {@code imgpress.image.decode-timeout}). The stages around it fetch before and store after ({@link
 * ImageStages}). Each step fails with an {@link ImageFailureException} saying why.
 *
 * <p>The decode timeout is watched by one thread for all workers: at the deadline it tells the
 * codec to stop (see {@link Deadline}), so an image crafted to be slow fails with {@link
 * FailureReason#DECODE_TIMEOUT} and its worker goes on with the next image. The codec also makes
 * the image's "before" preview when {@code imgpress.image.preview-size} asks for one.
 */
@ConditionalOnWorkerRole
@Component
class ImagePipeline {

  private final SniffStep sniffer = new SniffStep();
  private final PixelGuard guard;
  private final Codec codec;
  private final Set<ImageFormat> decodable;
  private final PixelBudget budget;
  private final FrameGuard frames;
  private final Duration decodeTimeout;
  private final ScheduledThreadPoolExecutor watchdog = watchdog();
  private final int previewSize;

  ImagePipeline(Codec codec, PixelBudget budget, ImageProperties properties) {
    this.codec = codec;
    this.decodable = Set.copyOf(codec.decodes());
    this.budget = budget;
    this.guard = new PixelGuard(properties.maxPixels());
    this.frames = new FrameGuard(properties.maxFrames());
    this.decodeTimeout = properties.decodeTimeout();
    this.previewSize = properties.previewSize();
  }

  EncodedImage encode(byte[] source, Output output) {
    ImageFormat format = sniffer.sniff(source);
    if (!decodable.contains(format)) {
      // Known by the sniffer, but not by this engine: say which one reads it.
      throw ImageFailureException.permanent(
          FailureReason.UNSUPPORTED_FORMAT, codec.whyNotDecoded(format));
    }
    frames.check(source, format);
    try {
      ImageInfo info = codec.probe(source, format);
      guard.check(info);
      return compress(source, format, info, output);
    } catch (ImageFailureException e) {
      // The Codec contract: permanent means the input is corrupt, retryable means out of memory.
      throw e.orReason(e.isRetryable() ? FailureReason.INTERNAL : FailureReason.CORRUPT);
    }
  }

  private EncodedImage compress(byte[] source, ImageFormat format, ImageInfo info, Output output) {
    try (PixelBudget.Lease pixels = budget.acquire(info.pixels())) {
      // The clock starts once the pixels are ours: waiting for other images is not decoding.
      Deadline deadline = Deadline.after(decodeTimeout);
      ScheduledFuture<?> alarm =
          watchdog.schedule(deadline::expire, decodeTimeout.toNanos(), TimeUnit.NANOSECONDS);
      try {
        EncodedImage encoded = codec.encode(source, format, output, previewSize, deadline);
        // An engine that could not stop in time still took too long: the limit holds for all.
        deadline.check();
        return encoded;
      } finally {
        alarm.cancel(false);
      }
    } catch (InterruptedException e) {
      // Shutting down: the image goes back to the queue and runs again later.
      Thread.currentThread().interrupt();
      throw ImageFailureException.retryable("interrupted while waiting for memory", e);
    }
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    var watchdog =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("imgpress-decode-watchdog").daemon().factory());
    // Nearly every alarm is cancelled long before it is due: drop them at once, not then.
    watchdog.setRemoveOnCancelPolicy(true);
    return watchdog;
  }

  @PreDestroy
  void close() {
    watchdog.shutdownNow();
  }
}
