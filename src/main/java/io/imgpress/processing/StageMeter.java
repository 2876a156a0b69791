package io.imgpress.processing;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What one stage of the pipeline reports, so an operator can tell whether the network, the CPU or
 * the disk holds images up:
 *
 * <ul>
 *   <li>{@code imgpress.pipeline.active} (stage): images the stage works on right now
 *   <li>{@code imgpress.pipeline.waiting} (stage): images queued for the stage
 *   <li>{@code imgpress.pipeline.busy} (stage): seconds the stage's threads spent working, summed;
 *       its rate is the average number of threads busy, to compare with the stage's size
 * </ul>
 */
final class StageMeter {

  static final String ACTIVE = "imgpress.pipeline.active";
  static final String WAITING = "imgpress.pipeline.waiting";
  static final String BUSY = "imgpress.pipeline.busy";

  private final AtomicInteger active = new AtomicInteger();
  private final LongAdder busyNanos = new LongAdder();

  StageMeter(MeterRegistry registry, String stage, IntSupplier waiting) {
    Gauge.builder(ACTIVE, active, AtomicInteger::get)
        .description("Images a pipeline stage works on right now")
        .tag("stage", stage)
        .register(registry);
    // The supplier form holds the supplier strongly; a state object would be held weakly, and a
    // method reference made here would be collected at the next GC, leaving the gauge at NaN.
    Gauge.builder(WAITING, waiting::getAsInt)
        .description("Images queued for a pipeline stage")
        .tag("stage", stage)
        .register(registry);
    FunctionCounter.builder(BUSY, busyNanos, n -> n.sum() / (double) TimeUnit.SECONDS.toNanos(1))
        .description("Time the threads of a pipeline stage spent working")
        .baseUnit("seconds")
        .tag("stage", stage)
        .register(registry);
  }

  /** Starts timing {@code images} images of work; close the returned span when it ends. */
  Span begin(int images) {
    active.addAndGet(images);
    return new Span(images, System.nanoTime());
  }

  int active() {
    return active.get();
  }

  final class Span implements AutoCloseable {

    private final int images;
    private final long started;
    private boolean closed;

    private Span(int images, long started) {
      this.images = images;
      this.started = started;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        busyNanos.add(System.nanoTime() - started);
        active.addAndGet(-images);
      }
    }
  }
}
