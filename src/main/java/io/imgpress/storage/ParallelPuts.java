package io.imgpress.storage;

import io.imgpress.storage.ImageStore.Put;
import io.imgpress.storage.ImageStore.Stored;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * {@link ImageStore#putAll} for stores whose objects are durable one by one as the service answers
 * (a bucket, Cloudinary): each distinct key's {@code put} runs on a virtual thread, {@code
 * parallel} at a time. A key that appears again in the batch gets the object its first appearance
 * stored. Should any put fail, the call throws after the others have finished; what they stored
 * stays and a retry finds it.
 */
public final class ParallelPuts {

  private ParallelPuts() {}

  public static List<Stored> putAll(
      List<Put> puts, int parallel, BiFunction<StorageKey, byte[], Stored> put) {
    if (puts.size() <= 1) {
      return puts.stream().map(p -> put.apply(p.key(), p.bytes())).toList();
    }
    Map<StorageKey, Integer> firstIndex = new HashMap<>();
    List<Integer> distinct = new ArrayList<>();
    for (int i = 0; i < puts.size(); i++) {
      if (firstIndex.putIfAbsent(puts.get(i).key(), i) == null) {
        distinct.add(i);
      }
    }
    Stored[] stored = new Stored[puts.size()];
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> senders = new ArrayList<>();
      for (int s = 0; s < Math.min(parallel, distinct.size()); s++) {
        senders.add(
            threads.submit(
                () -> {
                  for (int n; (n = next.getAndIncrement()) < distinct.size(); ) {
                    int i = distinct.get(n);
                    stored[i] = put.apply(puts.get(i).key(), puts.get(i).bytes());
                  }
                  return null;
                }));
      }
      for (Future<?> sender : senders) {
        sender.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("could not store a batch of " + puts.size(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new InterruptedIOException(
              "interrupted while storing a batch of " + puts.size() + " images"));
    }
    for (int i = 0; i < stored.length; i++) {
      if (stored[i] == null) {
        Stored first = stored[firstIndex.get(puts.get(i).key())];
        stored[i] = new Stored(first.size(), false, first.url());
      }
    }
    return List.of(stored);
  }
}
