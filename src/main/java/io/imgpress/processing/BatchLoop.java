package io.imgpress.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The loop of a stage thread that works its queue in batches: it waits for an item, takes it with
 * what else the stage gathers, hands the batch over, and goes on until the stage is stopped and the
 * queue is empty. It survives whatever the handler throws, which the stage is told of.
 */
final class BatchLoop<T> implements Runnable {

  /** Adds to a batch that holds its first item; may wait a little for more. */
  interface Gather<T> {
    void more(List<T> batch) throws InterruptedException;
  }

  interface Handler<T> {
    void handle(List<T> batch) throws InterruptedException;
  }

  private final BlockingQueue<T> queue;
  private final BooleanSupplier running;
  private final Gather<T> gather;
  private final Handler<T> handler;
  private final BiConsumer<List<T>, Throwable> failed;

  BatchLoop(
      BlockingQueue<T> queue,
      BooleanSupplier running,
      Gather<T> gather,
      Handler<T> handler,
      BiConsumer<List<T>, Throwable> failed) {
    this.queue = queue;
    this.running = running;
    this.gather = gather;
    this.handler = handler;
    this.failed = failed;
  }

  @Override
  public void run() {
    List<T> batch = new ArrayList<>();
    while (running.getAsBoolean() || !queue.isEmpty()) {
      try {
        T first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        gather.more(batch);
        handler.handle(batch);
      } catch (InterruptedException e) {
        if (!running.getAsBoolean()) {
          break;
        }
      } catch (Throwable e) {
        failed.accept(batch, e);
      } finally {
        batch.clear();
      }
    }
  }
}
