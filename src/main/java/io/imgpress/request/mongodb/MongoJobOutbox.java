package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobOutbox;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.WebhookStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * {@link JobOutbox} in the {@code outbox} collection. MongoDB without transactions cannot write an
 * entry and a state change atomically, so a store operation writes its entry first, not ready
 * ({@link #prepare}), makes its change, then marks the entry ready ({@link #ready}), or removes it
 * when the change did not happen ({@link #discard}). One field says when an entry can be taken,
 * {@code availableAt}: a prepared entry gets now plus {@link #STRANDED}, so an entry whose writer
 * died between its two writes is relayed anyway a minute later (its jobs then find the state
 * changed or not, and the job handlers act on the state they find); marking it ready sets it to
 * now; a take sets it to the end of the lease, so an entry whose relay died is taken again after
 * it.
 */
final class MongoJobOutbox implements JobOutbox {

  /** How long a prepared entry waits for its writer before it is relayed all the same. */
  static final Duration STRANDED = Duration.ofMinutes(1);

  /**
   * The most jobs one entry holds (some 70 bytes each): a caller with more writes several entries.
   */
  static final int MAX_JOBS_PER_ENTRY = 10_000;

  private final MongoStore store;
  private final Clock clock;

  MongoJobOutbox(MongoStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Writes an entry that is not takeable until {@link #ready} (or {@link #STRANDED}); at most
   * {@link #MAX_JOBS_PER_ENTRY} jobs.
   */
  String prepare(List<Job> jobs) {
    if (jobs.size() > MAX_JOBS_PER_ENTRY) {
      throw new IllegalArgumentException(
          jobs.size() + " jobs in one entry, at most " + MAX_JOBS_PER_ENTRY);
    }
    Instant now = clock.instant();
    String id = new ObjectId().toHexString();
    List<Document> docs = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      docs.add(
          new Document("kind", job.kind().name())
              .append("ref", job.ref())
              .append("runAt", MongoStore.date(job.runAt()))
              .append("rank", job.rank()));
    }
    store.outbox.insertOne(
        new Document("_id", id)
            .append("jobs", docs)
            .append("createdAt", MongoStore.date(now))
            .append("availableAt", MongoStore.date(now.plus(STRANDED))));
    return id;
  }

  /** The change the entry waited for is done: it can be taken now. */
  void ready(String id) {
    store.outbox.updateOne(
        and(eq("_id", id), gt("availableAt", MongoStore.date(clock.instant()))),
        Updates.set("availableAt", MongoStore.date(clock.instant())));
  }

  /** The change the entry waited for did not happen. */
  void discard(String id) {
    store.outbox.deleteOne(eq("_id", id));
  }

  @Override
  public List<Entry> take(int limit, Duration lease) {
    List<Entry> taken = new ArrayList<>();
    Instant now = clock.instant();
    FindOneAndUpdateOptions oldestFirst =
        new FindOneAndUpdateOptions()
            .sort(Sorts.ascending("createdAt", "_id"))
            .returnDocument(ReturnDocument.AFTER);
    while (taken.size() < limit) {
      Document doc =
          store.outbox.findOneAndUpdate(
              lte("availableAt", MongoStore.date(now)),
              Updates.set("availableAt", MongoStore.date(now.plus(lease))),
              oldestFirst);
      if (doc == null) {
        break;
      }
      taken.add(new Entry(doc.getString("_id"), jobs(doc)));
    }
    return taken;
  }

  private static List<Job> jobs(Document entry) {
    List<Job> jobs = new ArrayList<>();
    for (Document job : entry.getList("jobs", Document.class)) {
      jobs.add(
          new Job(
              JobKind.valueOf(job.getString("kind")),
              job.getString("ref"),
              MongoStore.instant(job.getDate("runAt")),
              ((Number) job.get("rank")).longValue()));
    }
    return jobs;
  }

  @Override
  public void relayed(List<Entry> entries) {
    if (!entries.isEmpty()) {
      store.outbox.deleteMany(in("_id", entries.stream().map(Entry::id).toList()));
    }
  }

  /**
   * Requests first, in id order (an intake job per staged request not expanded nor final, a webhook
   * job per final request whose webhook is pending), then images not final in id order. The cursor
   * is {@code r:<request id>} or {@code i:<image id>}, the last one listed.
   *
   * <p>The first page ({@code cursor} null) also repairs the requests left unsettled by a call that
   * died or stalled after writing images ({@link MongoImageTransitions#repairStale}): if that call
   * was the last on its request, no later call would count those images, and the request would
   * never become final. The reconciler that reads the open work every minute is what runs it.
   */
  @Override
  public Page openWork(String cursor, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    if (cursor == null) {
      new MongoImageTransitions(store, this, clock).repairStale();
    }
    Instant now = clock.instant();
    List<Job> jobs = new ArrayList<>();
    String next = null;
    if (cursor == null || cursor.startsWith("r:")) {
      Bson open =
          or(
              and(
                  eq("expanded", false),
                  in("status", RequestStatus.PENDING.name(), RequestStatus.PROCESSING.name())),
              and(
                  in("status", RequestStatus.COMPLETED.name(), RequestStatus.FAILED.name()),
                  eq("webhook.status", WebhookStatus.PENDING.name())));
      Bson filter = cursor == null ? open : and(gt("_id", cursor.substring(2)), open);
      for (Document request :
          store.requests.find(filter).sort(Sorts.ascending("_id")).limit(limit)) {
        String id = request.getString("_id");
        boolean isFinal = RequestStatus.valueOf(request.getString("status")).isFinal();
        jobs.add(new Job(isFinal ? JobKind.WEBHOOK : JobKind.INTAKE, id, now, 0));
        next = "r:" + id;
      }
      if (jobs.size() == limit) {
        return new Page(jobs, next);
      }
      cursor = null;
    }
    Bson notFinal = in("status", ImageStatus.PENDING.name(), ImageStatus.PROCESSING.name());
    Bson filter =
        cursor == null ? notFinal : and(notFinal, gt("_id", Long.parseLong(cursor.substring(2))));
    next = null;
    int room = limit - jobs.size();
    int listed = 0;
    for (Document image : store.images.find(filter).sort(Sorts.ascending("_id")).limit(room)) {
      long id = image.getLong("_id");
      jobs.add(new Job(JobKind.IMAGE, Long.toString(id), now, image.getLong("rank")));
      next = "i:" + id;
      listed++;
    }
    return new Page(jobs, listed == room ? next : null);
  }
}
