package io.imgpress.queue.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Claims per second of the real {@link JdbcJobQueue} on an H2 file database with the real schema,
 * at several queue sizes: the claim must cost the same with half a million jobs waiting as with
 * ten.
 *
 * <p>For each size a fresh database is filled with that many image jobs, in requests of up to
 * 10,000 images ranked by position as intake queues them. Then {@code threads} workers loop for
 * {@code seconds} (after a warm-up) doing what a worker does around an image: claim one job of any
 * kind ({@link JobQueue#claim(Duration)}, as the workers call it), complete it, and enqueue one new
 * image job at the back of its request so that the queue keeps its size. Each loop counts as one
 * claim. An unreported run at 1,000 jobs first compiles the code paths. Run it with {@code
 * ./bench/queue.sh}; arguments: {@code [sizes...]}, system properties {@code threads}, {@code
 * seconds}, {@code warmup}.
 */
public final class QueueBench {

  private static final int REQUEST_SIZE = 10_000;
  private static final Duration LEASE = Duration.ofMinutes(10);

  private QueueBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes =
        args.length == 0
            ? List.of(10, 10_000, 500_000)
            : Stream.of(args).map(Integer::valueOf).toList();
    int threads = Integer.getInteger("threads", 4);
    int seconds = Integer.getInteger("seconds", 5);
    int warmup = Integer.getInteger("warmup", 2);
    System.out.printf(
        "queue bench: JdbcJobQueue on an H2 file database, %d threads, %d s warm-up + %d s per size%n",
        threads, warmup, seconds);
    // The first size would otherwise also pay for compiling the JDBC and H2 code paths.
    System.out.println("queue bench: JIT warm-up at 1,000 jobs (not reported)");
    run(1_000, threads, 0, Math.max(5, 2 * warmup), false);
    Map<Integer, Double> rates = new LinkedHashMap<>();
    for (int size : sizes) {
      rates.put(size, run(size, threads, warmup, seconds, true));
    }
    int smallest = sizes.stream().min(Comparator.naturalOrder()).orElseThrow();
    int largest = sizes.stream().max(Comparator.naturalOrder()).orElseThrow();
    System.out.printf(
        "RATIO claims/s at %,d jobs / at %,d jobs = %.2f%n",
        largest, smallest, rates.get(largest) / rates.get(smallest));
  }

  private static double run(int size, int threads, int warmup, int seconds, boolean report)
      throws Exception {
    Path dir = Files.createTempDirectory("imgpress-queue-bench");
    try (HikariDataSource ds = dataSource(dir, threads)) {
      TestDatabase.flyway(ds, "h2").load().migrate();
      JdbcJobQueue queue = JdbcQueues.queue(ds, Clock.systemUTC());
      long fillStart = System.nanoTime();
      fill(queue, size);
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;

      AtomicBoolean counting = new AtomicBoolean();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong claims = new AtomicLong();
      AtomicLong misses = new AtomicLong();
      AtomicLong nextRank = new AtomicLong(Math.min(size, REQUEST_SIZE));
      CountDownLatch done = new CountDownLatch(threads);
      List<Throwable> errors = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread.ofPlatform()
            .name("bench-" + t)
            .start(
                () -> {
                  try {
                    while (running.get()) {
                      Optional<ClaimedJob> job = queue.claim(LEASE);
                      if (job.isEmpty()) {
                        misses.incrementAndGet();
                        continue;
                      }
                      queue.complete(job.get());
                      queue.enqueue(
                          List.of(
                              new JobQueue.Job(
                                  JobKind.IMAGE,
                                  job.get().ref(),
                                  Instant.now(),
                                  nextRank.getAndIncrement())));
                      if (counting.get()) {
                        claims.incrementAndGet();
                      }
                    }
                  } catch (Throwable e) {
                    synchronized (errors) {
                      errors.add(e);
                    }
                  } finally {
                    done.countDown();
                  }
                });
      }
      Thread.sleep(Duration.ofSeconds(warmup));
      counting.set(true);
      long start = System.nanoTime();
      Thread.sleep(Duration.ofSeconds(seconds));
      counting.set(false);
      double elapsed = (System.nanoTime() - start) / 1e9;
      running.set(false);
      done.await();
      if (!errors.isEmpty()) {
        throw new IllegalStateException("a worker failed", errors.getFirst());
      }
      double rate = claims.get() / elapsed;
      if (!report) {
        return rate;
      }
      long left = queue.depth().jobs();
      System.out.printf(
          "RESULT jobs=%d claims_per_s=%.1f claims=%d seconds=%.1f empty_claims=%d"
              + " jobs_after=%d fill_s=%.1f%n",
          size, rate, claims.get(), elapsed, misses.get(), left, fillSeconds);
      System.out.println("PLAN candidates: " + oneLine(plan(ds)));
      return rate;
    } finally {
      deleteRecursively(dir);
    }
  }

  /** {@code size} image jobs in requests of up to {@link #REQUEST_SIZE}, ranked by position. */
  private static void fill(JdbcJobQueue queue, int size) {
    Instant now = Instant.now();
    List<JobQueue.Job> batch = new ArrayList<>(REQUEST_SIZE);
    for (int i = 0; i < size; i++) {
      int request = i / REQUEST_SIZE;
      int position = i % REQUEST_SIZE;
      batch.add(new JobQueue.Job(JobKind.IMAGE, request + "/" + position, now, position));
      if (batch.size() == REQUEST_SIZE) {
        queue.enqueue(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      queue.enqueue(batch);
    }
  }

  private static HikariDataSource dataSource(Path dir, int threads) {
    HikariConfig config = new HikariConfig();
    // The application's own settings (application.yml): every commit reaches the file.
    config.setJdbcUrl(
        "jdbc:h2:file:" + dir.resolve("bench") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(threads + 1);
    return new HikariDataSource(config);
  }

  private static String plan(HikariDataSource ds) throws SQLException {
    try (Connection connection = ds.getConnection();
        PreparedStatement explain =
            connection.prepareStatement("explain " + JdbcJobQueue.CANDIDATES)) {
      explain.setInt(1, JobKind.IMAGE.priority());
      explain.setInt(2, 5);
      try (ResultSet rs = explain.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
