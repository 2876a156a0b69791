package io.imgpress.queue.redis;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link JobQueue} on Redis Streams ({@code imgpress.queue=redis}), the role BullMQ played in the
 * original design. Every operation is one Lua script ({@code io/imgpress/queue/redis/*.lua}), so it
 * is atomic however many processes share the queue, and one round trip.
 *
 * <ul>
 *   <li>Each {@link JobKind} has a stream and a consumer group ({@code imgpress}); each process is
 *       one consumer ({@code imgpress.queue.redis.consumer}, unique per process). A claimed job is
 *       an entry pending in the group, held by the claiming consumer: {@code XACK} (and {@code
 *       XDEL}) on completion or reschedule, never before, so delivery is at least once.
 *   <li>Due jobs wait in a sorted set per kind scored by {@link Job#rank}, the member being a
 *       zero-padded sequence number, so equal ranks go by age; they enter the stream only as a
 *       claim takes them ({@code ZPOPMIN}, {@code XADD}, then {@code XREADGROUP} without {@code
 *       BLOCK}, in the claim's script). A stream alone is first in, first out, and could not let
 *       requests take turns nor priority pass the backlog. Kinds are claimed lowest {@link
 *       JobKind#priority} first. Jobs due later wait in a delayed set scored by due time, moved to
 *       their ready set by the claims (a bounded batch each), as BullMQ's delayed set.
 *   <li>Leases follow the injected {@link Clock}, not Redis's idle times: each held entry's lease
 *       deadline is in a sorted set, and a claim takes over entries whose deadline passed with
 *       {@code XCLAIM} (which counts a delivery in the group) before taking ready jobs of their
 *       kind. That is {@code XAUTOCLAIM} with a minimum idle time per lease: the port lets every
 *       claim and renewal choose its lease, which one {@code XAUTOCLAIM} min-idle cannot honour; it
 *       keeps the contract's time in the application's clock (the tests move it); and renewals cost
 *       no stream read. With the system clock it behaves as {@code XAUTOCLAIM} with min-idle = the
 *       lease. A renewal also resets the entry's idle time ({@code XCLAIM ... JUSTID}), so {@code
 *       XPENDING} shows live leases as recent.
 *   <li>The handle is kind, job id, entry id, the entry's delivery count in the group and the
 *       consumer. {@link #renew}, {@link #complete} and {@link #reschedule} act only when {@code
 *       XPENDING} still shows that entry with that consumer and count, checked in the same script
 *       as the write ({@code XACK} alone checks neither): a lease taken over since, even by a
 *       thread of the same process, has a higher count.
 *   <li>{@link ClaimedJob#deliveries} is a per-job counter, so it spans reschedules (each of which
 *       is a new entry); an untouched reschedule takes its hand-out back. A hand-out past {@code
 *       imgpress.queue.redis.max-deliveries} moves the job to a dead-letter stream instead and
 *       counts it in {@code imgpress.queue.dead.letters} (tagged by kind).
 *   <li>{@link #enqueue} leaves out a job whose (kind, ref) the queue holds already, waiting or
 *       held: an outbox relay and a reconciler may send a job twice.
 * </ul>
 *
 * <p>Redis keeps the queue in memory: without persistence a restart loses it (the store's outbox
 * and reconciler give the jobs again, and the leases held meanwhile are lost: their holders' writes
 * answer false). New jobs do not wake idle workers of other processes: they poll ({@code
 * imgpress.processing.poll-interval}).
 */
public class RedisJobQueue implements JobQueue {

  /** Delayed jobs one claim moves to their ready set at most; the next claims take the rest. */
  static final int PROMOTE_BATCH = 1000;

  /** Jobs per enqueue script, so that one script never holds Redis for long. */
  static final int ENQUEUE_BATCH = 500;

  private static final Logger log = LoggerFactory.getLogger(RedisJobQueue.class);

  private static final JobKind[] KINDS = JobKind.values();

  private final StringRedisTemplate redis;
  private final Clock clock;
  private final int maxDeliveries;
  private final String consumer;
  private final List<String> keys;
  private final Map<JobKind, Counter> deadLetters = new EnumMap<>(JobKind.class);

  private final RedisScript<Long> enqueue = script("enqueue", Long.class);
  private final RedisScript<List> claim = script("claim", List.class);
  private final RedisScript<List> held = script("held", List.class);
  private final RedisScript<List> depth = script("depth", List.class);
  private final RedisScript<Long> leave = script("leave", Long.class);

  RedisJobQueue(
      StringRedisTemplate redis, Clock clock, MeterRegistry meters, RedisQueueProperties settings) {
    this.redis = redis;
    this.clock = clock;
    this.maxDeliveries = settings.maxDeliveries();
    this.consumer = settings.consumer();
    this.keys = keys(settings.keyPrefix() + "{queue}:");
    for (JobKind kind : KINDS) {
      deadLetters.put(
          kind,
          Counter.builder("imgpress.queue.dead.letters")
              .description("Jobs handed out too often without completion, moved to dead letters")
              .tag("kind", kind.name())
              .register(meters));
    }
  }

  /** The keys of every script, in the order {@code common.lua} describes. */
  static List<String> keys(String base) {
    List<String> keys = new ArrayList<>();
    for (String name :
        List.of("seq", "jobs", "deliveries", "refs", "enqueued", "delayed", "dead-letters")) {
      keys.add(base + name);
    }
    for (JobKind kind : KINDS) {
      keys.add(base + "ready:" + kind.name());
      keys.add(base + "stream:" + kind.name());
      keys.add(base + "leases:" + kind.name());
    }
    keys.add(base + "dead");
    return List.copyOf(keys);
  }

  /** The dead-letter stream's key. */
  String deadLetterKey() {
    return keys.get(6);
  }

  /** This process's consumer name in the group. */
  String consumer() {
    return consumer;
  }

  @Override
  public void enqueue(List<Job> jobs) {
    String now = Long.toString(clock.millis());
    for (int from = 0; from < jobs.size(); from += ENQUEUE_BATCH) {
      List<Job> batch = jobs.subList(from, Math.min(jobs.size(), from + ENQUEUE_BATCH));
      List<String> args = new ArrayList<>(1 + batch.size() * 5);
      args.add(now);
      for (Job job : batch) {
        args.add(Integer.toString(job.kind().ordinal()));
        args.add(job.kind().name());
        args.add(job.ref());
        args.add(Long.toString(job.runAt().toEpochMilli()));
        args.add(Long.toString(job.rank()));
      }
      redis.execute(enqueue, keys, args.toArray());
    }
  }

  @Override
  public List<ClaimedJob> claim(Set<JobKind> kinds, int max, Duration lease) {
    if (max <= 0 || kinds.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    args.add(Long.toString(clock.millis()));
    args.add(Long.toString(lease.toMillis()));
    args.add(Integer.toString(max));
    args.add(consumer);
    args.add(Integer.toString(maxDeliveries));
    args.add(Integer.toString(PROMOTE_BATCH));
    kinds.stream()
        .sorted(Comparator.comparing(JobKind::priority))
        .forEach(kind -> args.add(Integer.toString(kind.ordinal())));
    List<String> reply = strings(redis.execute(claim, keys, args.toArray()));
    int dead = Integer.parseInt(reply.getFirst());
    for (int i = 1; i <= dead; i++) {
      deadLetters.get(JobKind.valueOf(reply.get(i))).increment();
    }
    List<ClaimedJob> claimed = new ArrayList<>();
    for (int i = 1 + dead; i + 6 <= reply.size(); i += 6) {
      JobKind kind = JobKind.valueOf(reply.get(i));
      Lease handle =
          new Lease(kind, reply.get(i + 1), reply.get(i + 2), reply.get(i + 3), consumer);
      claimed.add(
          new ClaimedJob(
              handle.encode(), kind, reply.get(i + 5), Integer.parseInt(reply.get(i + 4))));
    }
    return claimed;
  }

  @Override
  public boolean renew(ClaimedJob job, Duration lease) {
    return renewAll(List.of(job), lease).getFirst();
  }

  @Override
  public boolean complete(ClaimedJob job) {
    return completeAll(List.of(job)).getFirst();
  }

  @Override
  public boolean reschedule(ClaimedJob job, Instant runAt) {
    return rescheduleAll(List.of(new Reschedule(job, runAt))).getFirst();
  }

  @Override
  public List<Boolean> renewAll(List<ClaimedJob> jobs, Duration lease) {
    return held("renew", lease, jobs.stream().map(j -> new Reschedule(j, Instant.EPOCH)).toList());
  }

  @Override
  public List<Boolean> completeAll(List<ClaimedJob> jobs) {
    return held(
        "complete",
        Duration.ZERO,
        jobs.stream().map(j -> new Reschedule(j, Instant.EPOCH)).toList());
  }

  @Override
  public List<Boolean> rescheduleAll(List<Reschedule> jobs) {
    return held("reschedule", Duration.ZERO, jobs);
  }

  /** One script for a batch of held jobs: {@code op} on each whose lease is current. */
  private List<Boolean> held(String op, Duration lease, List<Reschedule> jobs) {
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(3 + jobs.size() * 7);
    args.add(op);
    args.add(Long.toString(clock.millis()));
    args.add(Long.toString(lease.toMillis()));
    for (Reschedule r : jobs) {
      Lease handle = Lease.decode(r.job());
      args.add(Integer.toString(handle.kind().ordinal()));
      args.add(handle.jobId());
      args.add(handle.entry());
      args.add(handle.count());
      args.add(handle.consumer());
      args.add(Long.toString(r.runAt().toEpochMilli()));
      args.add(r.untouched() ? "1" : "0");
    }
    return strings(redis.execute(held, keys, args.toArray())).stream().map("1"::equals).toList();
  }

  @Override
  public Depth depth() {
    List<String> reply = strings(redis.execute(depth, keys));
    String oldest = reply.get(1);
    return new Depth(
        Long.parseLong(reply.get(0)),
        oldest.isEmpty() ? null : Instant.ofEpochMilli((long) Double.parseDouble(oldest)));
  }

  /** A {@code PING}: cheap whatever the queue holds. */
  @Override
  public void checkHealth() {
    String pong = redis.execute(connection -> connection.ping(), true);
    if (!"PONG".equalsIgnoreCase(pong)) {
      throw new IllegalStateException("Redis answered PING with " + pong);
    }
  }

  /**
   * Leaves the groups where this consumer holds nothing, at shutdown (after the workers stopped):
   * else every process that ever ran would stay listed in the groups. Best effort: a Redis that is
   * down keeps the names, which cost a few bytes.
   */
  public void close() {
    try {
      redis.execute(leave, keys, consumer);
    } catch (RuntimeException e) {
      log.debug("Could not remove consumer {} from the queue's groups: {}", consumer, e.toString());
    }
  }

  private static List<String> strings(List<?> reply) {
    if (reply == null) {
      throw new IllegalStateException("Redis script answered nothing");
    }
    return reply.stream().map(String::valueOf).toList();
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static <T> RedisScript<T> script(String name, Class<?> type) {
    String text = resource("common") + "\n" + resource(name);
    return new DefaultRedisScript(text, type);
  }

  private static String resource(String name) {
    try {
      return new ClassPathResource("io/imgpress/queue/redis/" + name + ".lua")
          .getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("missing queue script " + name, e);
    }
  }

  /**
   * The adapter's reading of an opaque handle: the entry in the kind's stream, its delivery count
   * in the group when handed out, and the consumer it was handed to.
   */
  record Lease(JobKind kind, String jobId, String entry, String count, String consumer) {

    String encode() {
      return String.join("|", kind.name(), jobId, entry, count, consumer);
    }

    static Lease decode(ClaimedJob job) {
      String[] parts = job.handle().split("\\|", 5);
      if (parts.length != 5) {
        throw new IllegalArgumentException("not a Redis queue handle: " + job.handle());
      }
      return new Lease(JobKind.valueOf(parts[0]), parts[1], parts[2], parts[3], parts[4]);
    }
  }
}
