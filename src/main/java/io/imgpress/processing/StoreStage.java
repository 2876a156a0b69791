package io.imgpress.processing;

import io.imgpress.processing.Codec.EncodedImage;
import io.imgpress.request.OutputFormat;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStore.Put;
import io.imgpress.storage.ImageStore.Stored;
import io.imgpress.storage.StorageKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores encoded images, each with its preview when it has one, in batches: each of its threads
 * takes what queued while the previous batch was written (up to {@link #MAX_BATCH}) and stores it
 * with one {@link ImageStore#putAll}, so the store pays for durability once per batch. Only a
 * stored image goes on to be recorded as completed. Should an earlier attempt have stored an image
 * already, that object stays and its size is what gets recorded. The recorded output is the store's
 * public URL for the key where it has one (a CDN in front of a bucket), else the path under which
 * this service serves it; so is the preview's, stored in the same batch under {@link
 * StorageKey#forPreview}. The output's key names the format it was written in ({@code 7.webp}); the
 * preview is always a JPEG.
 */
final class StoreStage {

  private static final Logger log = LoggerFactory.getLogger(StoreStage.class);

  static final int MAX_BATCH = 128;

  private final ImageStore store;
  private final Outcomes outcomes;
  private final int threads;
  private final BlockingQueue<Encoded> pending = new LinkedBlockingQueue<>();
  private final StageMeter meter;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;

  StoreStage(ImageStore store, Outcomes outcomes, int threads, MeterRegistry registry) {
    this.store = store;
    this.outcomes = outcomes;
    this.threads = threads;
    this.meter = new StageMeter(registry, "store", pending::size);
  }

  /**
   * An encoded image in {@code format} at {@code quality} (the one chosen, for automatic quality),
   * its preview (null for none) and the size of its source.
   */
  record Encoded(
      InFlightImage image,
      byte[] bytes,
      OutputFormat format,
      int quality,
      byte[] preview,
      long inputBytes) {}

  void submit(InFlightImage image, EncodedImage encoded, long inputBytes) {
    pending.add(
        new Encoded(
            image,
            encoded.bytes(),
            encoded.format(),
            encoded.quality(),
            encoded.preview(),
            inputBytes));
  }

  synchronized void start() {
    running = true;
    for (int i = 1; i <= threads; i++) {
      BatchLoop<Encoded> loop =
          new BatchLoop<>(
              pending,
              () -> running,
              batch -> pending.drainTo(batch, MAX_BATCH - batch.size()),
              this::storeAll,
              (batch, e) -> {
                log.error("Could not store {} image(s)", batch.size(), e);
                batch.forEach(b -> outcomes.internal(b.image(), e));
              });
      workers.add(Thread.ofPlatform().name("imgpress-store-" + i).start(loop));
    }
  }

  /** Stores what is queued, then stops. */
  synchronized void stop(Duration deadline) throws InterruptedException {
    running = false;
    long end = System.nanoTime() + deadline.toNanos();
    for (Thread worker : workers) {
      worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      worker.interrupt();
    }
    workers.clear();
  }

  private void storeAll(List<Encoded> batch) {
    // Each image's output, then its preview if it has one.
    List<Put> puts = new ArrayList<>();
    for (Encoded b : batch) {
      UUID requestId = b.image().work().requestId();
      // The extension follows the format actually written, which the key's media type tells.
      puts.add(new Put(StorageKey.forImage(requestId, b.image().imageId(), b.format()), b.bytes()));
      if (b.preview() != null) {
        puts.add(new Put(StorageKey.forPreview(requestId, b.image().imageId()), b.preview()));
      }
    }
    List<Stored> stored;
    try (var span = meter.begin(batch.size())) {
      stored = store.putAll(puts);
    } catch (RuntimeException e) {
      ImageFailureException failure =
          ImageFailureException.retryable(FailureReason.INTERNAL, "could not store the output", e);
      batch.forEach(b -> outcomes.failed(b.image(), failure));
      return;
    }
    int at = 0;
    for (Encoded encoded : batch) {
      Stored output = stored.get(at);
      if (!output.created()) {
        log.info(
            "Kept the output an earlier attempt stored for image {} ({} bytes)",
            encoded.image().imageId(),
            output.size());
      }
      String outputUrl = urlOf(puts.get(at).key(), output);
      at++;
      String previewUrl = null;
      if (encoded.preview() != null) {
        previewUrl = urlOf(puts.get(at).key(), stored.get(at));
        at++;
      }
      outcomes.completed(
          encoded.image(),
          outputUrl,
          previewUrl,
          encoded.inputBytes(),
          output.size(),
          encoded.quality());
    }
  }

  private String urlOf(StorageKey key, Stored stored) {
    return stored.url() != null ? stored.url() : store.publicUrl(key).orElse(key.publicPath());
  }
}
