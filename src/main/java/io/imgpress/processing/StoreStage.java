package io.imgpress.processing;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStore.Put;
import io.imgpress.storage.ImageStore.Stored;
import io.imgpress.storage.StorageKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores encoded images in batches: each of its threads takes what queued while the previous batch
 * was written (up to {@link #MAX_BATCH}) and stores it with one {@link ImageStore#putAll}, so the
 * store pays for durability once per batch. Only a stored image goes on to be recorded as
 * completed. Should an earlier attempt have stored an image already, that object stays and its size
 * is what gets recorded. The recorded output is the store's public URL for the key where it has one
 * (a CDN in front of a bucket), else the path under which this service serves it.
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

  /** An encoded image and the size of its source. */
  record Encoded(InFlightImage image, byte[] jpeg, long inputBytes) {}

  void submit(InFlightImage image, byte[] jpeg, long inputBytes) {
    pending.add(new Encoded(image, jpeg, inputBytes));
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
    List<Put> puts =
        batch.stream()
            .map(
                b ->
                    new Put(
                        StorageKey.forImage(b.image().work().requestId(), b.image().imageId()),
                        b.jpeg()))
            .toList();
    List<Stored> stored;
    try (var span = meter.begin(batch.size())) {
      stored = store.putAll(puts);
    } catch (RuntimeException e) {
      ImageFailureException failure =
          ImageFailureException.retryable(FailureReason.INTERNAL, "could not store the output", e);
      batch.forEach(b -> outcomes.failed(b.image(), failure));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Encoded encoded = batch.get(i);
      if (!stored.get(i).created()) {
        log.info(
            "Kept the output an earlier attempt stored for image {} ({} bytes)",
            encoded.image().imageId(),
            stored.get(i).size());
      }
      StorageKey key = puts.get(i).key();
      String reported = stored.get(i).url();
      outcomes.completed(
          encoded.image(),
          reported != null ? reported : store.publicUrl(key).orElse(key.publicPath()),
          encoded.inputBytes(),
          stored.get(i).size());
    }
  }
}
