package io.imgpress.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue;
import io.imgpress.queue.JobQueue.ClaimedJob;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.queue.JobQueue.Reschedule;
import io.imgpress.queue.JobQueueContract;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The queue contract on a real Redis ({@link TestRedis}), each test under a key prefix of its own,
 * and what only this adapter does: idempotent enqueue, dead letters, a Redis that lost its data.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisJobQueueTest extends JobQueueContract {

  static final Duration LEASE = Duration.ofMinutes(5);

  static LettuceConnectionFactory connections;
  static StringRedisTemplate redis;

  MutableClock clock = new MutableClock();
  SimpleMeterRegistry meters = new SimpleMeterRegistry();
  String prefix;
  RedisJobQueue queue;

  @BeforeAll
  static void connect() {
    connections =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration("127.0.0.1", TestRedis.shared().port()));
    connections.afterPropertiesSet();
    connections.start();
    redis = new StringRedisTemplate(connections);
  }

  @AfterAll
  static void disconnect() {
    connections.destroy();
  }

  @BeforeEach
  void create() {
    prefix = "test-" + UUID.randomUUID() + ":";
    queue = queue(10, "consumer-a");
  }

  RedisJobQueue queue(int maxDeliveries, String consumer) {
    return new RedisJobQueue(
        redis, clock, meters, new RedisQueueProperties(prefix, maxDeliveries, consumer));
  }

  @Override
  protected JobQueue queue() {
    return queue;
  }

  @Override
  protected Instant now() {
    return clock.instant();
  }

  @Override
  protected void advance(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void enqueueingAJobTheQueueHoldsAlreadyDoesNothing() {
    queue.enqueue(List.of(job("1"), job("1"), new Job(JobKind.WEBHOOK, "1", now())));
    assertThat(queue.depth().jobs()).as("IMAGE 1 once, WEBHOOK 1").isEqualTo(2);

    ClaimedJob held = queue.claim(Set.of(JobKind.IMAGE), 1, LEASE).getFirst();
    queue.enqueue(List.of(job("1")));
    assertThat(queue.depth().jobs()).as("held counts as live").isEqualTo(2);
    assertThat(queue.claim(Set.of(JobKind.IMAGE), 1, LEASE)).isEmpty();

    assertThat(queue.reschedule(held, now().plusSeconds(30))).isTrue();
    queue.enqueue(List.of(job("1")));
    assertThat(queue.depth().jobs()).as("delayed counts as live").isEqualTo(2);

    advance(Duration.ofSeconds(31));
    ClaimedJob again = queue.claim(Set.of(JobKind.IMAGE), 10, LEASE).getFirst();
    assertThat(again.deliveries()).as("the same job, not a second one").isEqualTo(2);
    assertThat(queue.complete(again)).isTrue();

    queue.enqueue(List.of(job("1")));
    ClaimedJob fresh = queue.claim(Set.of(JobKind.IMAGE), 10, LEASE).getFirst();
    assertThat(fresh.ref()).as("a completed job may be enqueued again").isEqualTo("1");
    assertThat(fresh.deliveries()).isEqualTo(1);
  }

  @Test
  void aJobHandedOutTooOftenGoesToTheDeadLettersAndIsCounted() {
    queue = queue(3, "consumer-a");
    queue.enqueue(List.of(job("lost"), job("poison"), job("kept")));
    // "lost": its workers die, the lease runs out three times.
    // "poison": its workers fail and reschedule it three times.
    for (int round = 1; round <= 3; round++) {
      List<ClaimedJob> held = queue.claim(Set.of(JobKind.IMAGE), 10, LEASE);
      assertThat(held).hasSize(3);
      for (ClaimedJob job : held) {
        assertThat(job.deliveries()).isEqualTo(job.ref().equals("kept") ? 1 : round);
      }
      for (ClaimedJob job : held) {
        if (job.ref().equals("poison")) {
          assertThat(queue.reschedule(job, now())).isTrue();
        } else if (job.ref().equals("kept")) {
          // set aside untouched every time: never dead
          assertThat(queue.rescheduleAll(List.of(new Reschedule(job, now(), true))))
              .containsExactly(true);
        }
      }
      advance(LEASE.plusSeconds(1));
    }
    List<ClaimedJob> last = queue.claim(Set.of(JobKind.IMAGE), 10, LEASE);
    assertThat(last).extracting(ClaimedJob::ref).containsExactly("kept");
    assertThat(last.getFirst().deliveries()).isEqualTo(1);
    assertThat(deadLetters(JobKind.IMAGE)).isEqualTo(2);
    assertThat(deadLetters(JobKind.WEBHOOK)).isZero();
    assertThat(queue.depth().jobs()).as("dead letters are not queued jobs").isEqualTo(1);

    List<Map<Object, Object>> dead =
        redis.opsForStream().range(queue.deadLetterKey(), Range.unbounded()).stream()
            .map(MapRecord::getValue)
            .toList();
    assertThat(dead).extracting(m -> m.get("ref")).containsExactlyInAnyOrder("lost", "poison");
    assertThat(dead).extracting(m -> m.get("kind")).containsOnly("IMAGE");
    assertThat(dead).extracting(m -> m.get("deliveries")).containsOnly("3");

    queue.enqueue(List.of(job("poison")));
    assertThat(queue.depth().jobs())
        .as("a dead letter sent again (by the reconciler) stays dead")
        .isEqualTo(1);
    redis.delete(queue.deadLetterKey().replace("dead-letters", "dead"));
    queue.enqueue(List.of(job("poison")));
    assertThat(queue.depth().jobs()).as("until an operator clears the dead set").isEqualTo(2);
  }

  @Test
  void aLeaseTakenOverByAnotherProcessIsLostToTheFirst() {
    RedisJobQueue other = queue(10, "consumer-b");
    queue.enqueue(List.of(job("1")));
    ClaimedJob first = queue.claim(LEASE).orElseThrow();
    advance(LEASE.plusSeconds(1));
    ClaimedJob second = other.claim(LEASE).orElseThrow();
    assertThat(second.deliveries()).isEqualTo(2);
    assertThat(queue.renew(first, LEASE)).isFalse();
    assertThat(queue.complete(first)).isFalse();
    assertThat(other.complete(second)).isTrue();
    assertThat(queue.depth().jobs()).isZero();
  }

  @Test
  void aHandleOfAnotherConsumerIsRefused() {
    queue.enqueue(List.of(job("1")));
    ClaimedJob held = queue.claim(LEASE).orElseThrow();
    ClaimedJob forged =
        new ClaimedJob(
            held.handle().substring(0, held.handle().lastIndexOf('|') + 1) + "consumer-b",
            held.kind(),
            held.ref(),
            held.deliveries());
    assertThat(queue.complete(forged)).isFalse();
    assertThat(queue.complete(held)).isTrue();
  }

  @Test
  void aRedisThatLostItsDataTakesJobsAgainAndRefusesOldLeases() {
    queue.enqueue(List.of(job("1"), job("2")));
    ClaimedJob held = queue.claim(LEASE).orElseThrow();
    TestRedis.shared().restartEmpty();
    assertThat(queue.depth().jobs()).isZero();
    assertThat(queue.complete(held)).as("the lease went with the data").isFalse();
    assertThat(queue.claim(LEASE)).isEmpty();
    queue.enqueue(List.of(job("1"), job("2")));
    List<ClaimedJob> again = queue.claim(EnumSet.allOf(JobKind.class), 10, LEASE);
    assertThat(again).extracting(ClaimedJob::ref).containsExactly("1", "2");
    assertThat(queue.completeAll(again)).containsOnly(true);
    queue.checkHealth();
  }

  @Test
  void rescheduledJobsKeepTheirPlaceAmongEqualRanks() {
    queue.enqueue(List.of(job("old")));
    advance(Duration.ofSeconds(1));
    queue.enqueue(List.of(job("new")));
    ClaimedJob old = queue.claim(LEASE).orElseThrow();
    assertThat(queue.reschedule(old, now())).isTrue();
    assertThat(queue.claim(LEASE).orElseThrow().ref()).isEqualTo("old");
  }

  @Test
  void depthTellsTheOldestEnqueueTime() {
    Instant first = now();
    queue.enqueue(List.of(job("1")));
    advance(Duration.ofSeconds(7));
    queue.enqueue(List.of(new Job(JobKind.WEBHOOK, "later", now().plusSeconds(60))));
    assertThat(queue.depth()).isEqualTo(new JobQueue.Depth(2, first));
  }

  @Test
  void aStoppingProcessLeavesTheGroupsWhereItHoldsNothing() {
    queue.enqueue(List.of(job("image"), new Job(JobKind.WEBHOOK, "hook", now())));
    List<ClaimedJob> held = queue.claim(EnumSet.allOf(JobKind.class), 10, LEASE);
    assertThat(queue.complete(held.getFirst())).isTrue(); // the webhook
    queue.close();
    assertThat(consumers(JobKind.WEBHOOK)).isEmpty();
    assertThat(consumers(JobKind.IMAGE)).as("it still holds an image").contains("consumer-a");

    advance(LEASE.plusSeconds(1));
    RedisJobQueue other = queue(10, "consumer-b");
    assertThat(other.claim(LEASE).orElseThrow().ref()).isEqualTo("image");
  }

  private List<String> consumers(JobKind kind) {
    String stream = RedisJobQueue.keys(prefix + "{queue}:").get(8 + 3 * kind.ordinal());
    return redis.opsForStream().consumers(stream, "imgpress").stream()
        .map(c -> c.consumerName())
        .toList();
  }

  private double deadLetters(JobKind kind) {
    return meters.get("imgpress.queue.dead.letters").tag("kind", kind.name()).counter().count();
  }

  private Job job(String ref) {
    return new Job(JobKind.IMAGE, ref, now());
  }

  @Test
  void anEvictingRedisIsReportedAtStart(CapturedOutput output) {
    RedisQueueConfiguration.warnUnlessNoEviction(redis);
    assertThat(output).doesNotContain("maxmemory-policy");
    redis.execute(
        (RedisCallback<Object>)
            c -> {
              c.serverCommands().setConfig("maxmemory-policy", "allkeys-lru");
              return null;
            });
    try {
      RedisQueueConfiguration.warnUnlessNoEviction(redis);
    } finally {
      redis.execute(
          (RedisCallback<Object>)
              c -> {
                c.serverCommands().setConfig("maxmemory-policy", "noeviction");
                return null;
              });
    }
    assertThat(output).contains("Redis maxmemory-policy is allkeys-lru");
  }
}
