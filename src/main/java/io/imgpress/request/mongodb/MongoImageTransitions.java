package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.imgpress.db.ErrorText;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * {@link ImageTransitions} on MongoDB without multi-document transactions.
 *
 * <p>A call works on one request at a time, under a short lock held on the request document: a
 * conditional {@code findOneAndUpdate} sets {@code lock: {owner, until}} when there is none or it
 * expired (a lease of {@link #LEASE}; a caller finding it held tries again after a pause that
 * doubles from 1 ms up to {@link #MAX_BACKOFF_MILLIS}, with jitter, for at most {@link #WAIT}).
 * Under the lock the call:
 *
 * <ol>
 *   <li>takes the request's next change number, its published {@code changeNumber} plus one;
 *   <li>applies its image updates in one unordered bulk write, each conditional on the image's
 *       status and owner as the contract says, stamping each changed image with that number and a
 *       token of the call; it reads back the images carrying the token, which are the ones that
 *       moved;
 *   <li>when the request becomes final and has a webhook, prepares the webhook job's outbox entry;
 *   <li>settles the request in ONE update, conditional on still holding the lock: counters, status,
 *       the change number (published only here) and the lock's release; then marks the entry ready.
 * </ol>
 *
 * Readers follow change numbers ({@code RequestRepository.imagesChanged(after, upTo)} with {@code
 * upTo} the published number): images stamped with a number not yet published are outside every
 * range a reader asks for, and once the number is published all its images are in place, so a
 * reader never misses a change. Readers of the images themselves ({@code products}) may see an
 * image move a moment before the request's counters count it: without a transaction the two are
 * separate documents.
 *
 * <p>Counters are added up from what the call changed, which is exact while the lock serialises the
 * calls of a request. A call that dies under the lock leaves images moved but the request
 * unsettled: the next call finds the lock expired, takes it over and recounts the counters from the
 * images (index {@code requestId, status}), publishing the dead call's number with its own, so
 * nothing is lost. A call that outlived its lease (a long pause) finds its settle refused: it takes
 * the lock again, restamps the images it moved with a fresh number and recounts.
 *
 * <p>A call touching several requests settles each on its own: if it dies half way, some requests
 * have its changes and others not, as if the worker had made smaller calls; redelivered jobs redo
 * the rest, as they would after any crash.
 */
final class MongoImageTransitions implements ImageTransitions {

  /** How long a call may hold a request's lock before another may take it over. */
  static final Duration LEASE = Duration.ofSeconds(10);

  /** How long a call waits for a request's lock before it gives up with an error. */
  static final Duration WAIT = Duration.ofSeconds(30);

  /** The longest pause between two tries for a held lock, in milliseconds. */
  static final long MAX_BACKOFF_MILLIS = 50;

  private static final String PROCESSING = ImageStatus.PROCESSING.name();

  private final MongoStore store;
  private final MongoJobOutbox outbox;
  private final Clock clock;

  MongoImageTransitions(MongoStore store, MongoJobOutbox outbox, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public Optional<ImageWork> start(long imageId, String owner) {
    return startAll(List.of(new Start(imageId, owner))).stream().findFirst();
  }

  @Override
  public Outcome complete(
      long imageId, String owner, String outputPath, long inputBytes, long outputBytes) {
    return record(List.of(new Completion(imageId, owner, outputPath, inputBytes, outputBytes)))
        .getFirst();
  }

  @Override
  public Outcome fail(long imageId, String owner, String error) {
    return record(List.of(new Failure(imageId, owner, error))).getFirst();
  }

  @Override
  public boolean retry(long imageId, String owner, String error) {
    return record(List.of(new Retry(imageId, owner, error))).getFirst().applied();
  }

  @Override
  public boolean handBack(long imageId, String owner) {
    return record(List.of(new HandBack(imageId, owner))).getFirst().applied();
  }

  @Override
  public List<ImageWork> startAll(List<Start> starts) {
    List<Op> ops = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < starts.size(); i++) {
      if (seen.add(starts.get(i).imageId())) {
        ops.add(new Op(i, starts.get(i).imageId(), starts.get(i), null));
      }
    }
    Map<Integer, ImageWork> work = new HashMap<>();
    for (Settled settled : apply(ops, true)) {
      for (Op op : settled.applied) {
        Document image = settled.images.get(op.imageId);
        work.put(
            op.index,
            new ImageWork(
                op.imageId,
                UUID.fromString(settled.requestId),
                image.getString("inputUrl"),
                settled.quality,
                image.getInteger("attempts")));
      }
    }
    List<ImageWork> started = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      if (work.containsKey(i)) {
        started.add(work.get(i));
      }
    }
    return started;
  }

  @Override
  public List<Outcome> record(List<Change> changes) {
    List<Op> ops = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < changes.size(); i++) {
      if (seen.add(changes.get(i).imageId())) {
        ops.add(new Op(i, changes.get(i).imageId(), null, changes.get(i)));
      }
    }
    List<Settled> settled = apply(ops, false);
    Map<Long, Settled> byImage = new HashMap<>();
    Set<Integer> applied = new HashSet<>();
    Map<String, Integer> lastApplied = new HashMap<>();
    for (Settled s : settled) {
      s.imageIds.forEach(id -> byImage.put(id, s));
      for (Op op : s.applied) {
        applied.add(op.index);
        lastApplied.merge(s.requestId, op.index, Math::max);
      }
    }
    List<Outcome> outcomes = new ArrayList<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      Settled s = byImage.get(changes.get(i).imageId());
      if (s == null) {
        outcomes.add(new Outcome(false, null, null, false));
        continue;
      }
      boolean finished = s.finished && lastApplied.getOrDefault(s.requestId, -1) == i;
      outcomes.add(
          new Outcome(applied.contains(i), UUID.fromString(s.requestId), s.status, finished));
    }
    return outcomes;
  }

  /** One image's start or change, at {@code index} in the caller's list. */
  private record Op(int index, long imageId, Start start, Change change) {}

  /** What a call did to one request. */
  private static final class Settled {
    final String requestId;
    final List<Long> imageIds = new ArrayList<>();
    final List<Op> applied = new ArrayList<>();
    final Map<Long, Document> images = new HashMap<>();
    RequestStatus status;
    int quality;
    boolean finished;

    Settled(String requestId) {
      this.requestId = requestId;
    }
  }

  /**
   * Applies the ops request by request, in request id order; images that do not exist are left out.
   */
  private List<Settled> apply(List<Op> ops, boolean starts) {
    if (ops.isEmpty()) {
      return List.of();
    }
    Map<String, List<Op>> byRequest = new TreeMap<>();
    Map<Long, String> requestOf = new HashMap<>();
    for (Document image :
        store
            .images
            .find(in("_id", ops.stream().map(Op::imageId).toList()))
            .projection(Projections.include("requestId"))) {
      requestOf.put(image.getLong("_id"), image.getString("requestId"));
    }
    for (Op op : ops) {
      String requestId = requestOf.get(op.imageId);
      if (requestId != null) {
        byRequest.computeIfAbsent(requestId, r -> new ArrayList<>()).add(op);
      }
    }
    List<Settled> all = new ArrayList<>();
    byRequest.forEach((requestId, requestOps) -> all.add(settle(requestId, requestOps, starts)));
    return all;
  }

  private Settled settle(String requestId, List<Op> ops, boolean starts) {
    Settled settled = new Settled(requestId);
    ops.forEach(op -> settled.imageIds.add(op.imageId));
    String token = UUID.randomUUID().toString();
    Lock lock = lock(requestId, token);
    if (lock == null) {
      // Unknown, or not expanded (its images are left over from an expansion that lost).
      Document request = store.requests.find(eq("_id", requestId)).first();
      settled.status = request == null ? null : RequestStatus.valueOf(request.getString("status"));
      if (request == null) {
        settled.imageIds.clear();
      }
      return settled;
    }
    Document request = lock.request;
    settled.quality = request.getInteger("quality");
    long number = request.getLong("changeNumber") + 1;
    Instant now = clock.instant();
    List<WriteModel<Document>> updates = new ArrayList<>(ops.size());
    for (Op op : ops) {
      updates.add(
          starts
              ? startUpdate(op.start, token, number, now)
              : change(op.change, token, number, now));
    }
    store.images.bulkWrite(updates, new BulkWriteOptions().ordered(false));
    List<Long> ids = ops.stream().map(Op::imageId).toList();
    for (Document image : store.images.find(and(in("_id", ids), eq("lastCall", token)))) {
      settled.images.put(image.getLong("_id"), image);
    }
    int done = 0;
    int failed = 0;
    for (Op op : ops) {
      if (settled.images.containsKey(op.imageId)) {
        settled.applied.add(op);
        if (op.change instanceof Completion || op.change instanceof Failure) {
          done++;
        }
        if (op.change instanceof Failure) {
          failed++;
        }
      }
    }
    boolean moved = !settled.applied.isEmpty();
    boolean recount = lock.takenOver;
    String entry = null;
    boolean madeFinal;
    while (true) {
      RequestStatus before = RequestStatus.valueOf(request.getString("status"));
      int total = request.getInteger("totalImages");
      int processed;
      int failedImages;
      long published = request.getLong("changeNumber");
      boolean startedAny = false;
      if (recount) {
        Counts counts = count(requestId);
        processed = counts.processed;
        failedImages = counts.failed;
        startedAny = counts.notPending > 0;
        published = Math.max(published, counts.topChangeNumber);
      } else {
        processed = request.getInteger("processedImages") + done;
        failedImages = request.getInteger("failedImages") + failed;
        if (moved) {
          published = number;
        }
      }
      RequestStatus after = before;
      if (processed >= total && total > 0) {
        after = failedImages >= total ? RequestStatus.FAILED : RequestStatus.COMPLETED;
      } else if (moved && (starts || done > 0) || recount && startedAny) {
        after = RequestStatus.PROCESSING;
      }
      boolean touch = after != before || done > 0;
      boolean becameFinal = after.isFinal() && !before.isFinal();
      madeFinal = becameFinal;
      settled.status = after;
      settled.finished = moved && becameFinal;
      if (becameFinal && request.get("webhook") != null && entry == null) {
        entry = outbox.prepare(List.of(new Job(JobKind.WEBHOOK, requestId, clock.instant(), 0)));
      }
      List<Bson> sets = new ArrayList<>();
      sets.add(Updates.unset("lock"));
      if (moved || recount) {
        sets.add(Updates.set("processedImages", processed));
        sets.add(Updates.set("failedImages", failedImages));
        sets.add(Updates.set("status", after.name()));
        sets.add(Updates.set("changeNumber", published));
        if (touch) {
          sets.add(Updates.set("updatedAt", MongoStore.date(now)));
        }
      }
      if (store
              .requests
              .updateOne(and(eq("_id", requestId), eq("lock.owner", token)), Updates.combine(sets))
              .getMatchedCount()
          == 1) {
        break;
      }
      // Our lease ran out and another call took the lock over: take it again, give the images we
      // moved a number after whatever it published, and count from the images.
      lock = lock(requestId, token);
      if (lock == null) {
        throw new IllegalStateException("request " + requestId + " disappeared under its lock");
      }
      request = lock.request;
      number = request.getLong("changeNumber") + 1;
      if (moved) {
        store.images.updateMany(
            and(
                in("_id", settled.applied.stream().map(Op::imageId).toList()),
                eq("lastCall", token)),
            Updates.set("changeNumber", number));
      }
      recount = true;
    }
    if (entry != null) {
      if (madeFinal) {
        outbox.ready(entry);
      } else {
        outbox.discard(entry);
      }
    }
    return settled;
  }

  private record Lock(Document request, boolean takenOver) {}

  /**
   * Takes the request's lock for {@code token}; null when the request is unknown or not expanded.
   */
  private Lock lock(String requestId, String token) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long backoff = 1;
    while (true) {
      Instant now = clock.instant();
      Document before =
          store.requests.findOneAndUpdate(
              and(
                  eq("_id", requestId),
                  eq("expanded", true),
                  or(eq("lock", null), lte("lock.until", MongoStore.date(now)))),
              Updates.set(
                  "lock",
                  new Document("owner", token).append("until", MongoStore.date(now.plus(LEASE)))),
              new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
      if (before != null) {
        return new Lock(before, before.get("lock") != null);
      }
      Document request =
          store
              .requests
              .find(eq("_id", requestId))
              .projection(Projections.include("expanded"))
              .first();
      if (request == null || !request.getBoolean("expanded", false)) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "request " + requestId + " stayed locked by another call for " + WAIT);
      }
      try {
        // Exponential backoff with full jitter: many callers waiting on one request spread out
        // instead of hammering its document, and a long wait costs a few queries, not thousands.
        Thread.sleep(1 + ThreadLocalRandom.current().nextLong(backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted waiting for the lock of request " + requestId, e);
      }
    }
  }

  private record Counts(int processed, int failed, int notPending, long topChangeNumber) {}

  /** The request's final images and highest change number, counted from the images themselves. */
  private Counts count(String requestId) {
    int processed = 0;
    int failed = 0;
    int notPending = 0;
    long top = 0;
    for (Document group :
        store.images.aggregate(
            List.of(
                Aggregates.match(eq("requestId", requestId)),
                Aggregates.group(
                    "$status",
                    Accumulators.sum("n", 1),
                    Accumulators.max("top", "$changeNumber"))))) {
      ImageStatus status = ImageStatus.valueOf(group.getString("_id"));
      int n = ((Number) group.get("n")).intValue();
      if (status.isFinal()) {
        processed += n;
      }
      if (status == ImageStatus.FAILED) {
        failed += n;
      }
      if (status != ImageStatus.PENDING) {
        notPending += n;
      }
      top = Math.max(top, ((Number) group.get("top")).longValue());
    }
    return new Counts(processed, failed, notPending, top);
  }

  private static UpdateOneModel<Document> startUpdate(
      Start start, String token, long number, Instant now) {
    return new UpdateOneModel<>(
        and(
            eq("_id", start.imageId()),
            or(
                eq("status", ImageStatus.PENDING.name()),
                and(eq("status", PROCESSING), ne("owner", start.owner())))),
        Updates.combine(
            Updates.set("status", PROCESSING),
            Updates.set("owner", start.owner()),
            Updates.inc("attempts", 1),
            Updates.set("updatedAt", MongoStore.date(now)),
            Updates.set("changeNumber", number),
            Updates.set("lastCall", token)));
  }

  private static UpdateOneModel<Document> change(
      Change change, String token, long number, Instant now) {
    List<Bson> sets = new ArrayList<>();
    sets.add(Updates.unset("owner"));
    sets.add(Updates.set("updatedAt", MongoStore.date(now)));
    sets.add(Updates.set("changeNumber", number));
    sets.add(Updates.set("lastCall", token));
    switch (change) {
      case Completion c -> {
        sets.add(Updates.set("status", ImageStatus.COMPLETED.name()));
        sets.add(Updates.set("outputPath", c.outputPath()));
        sets.add(Updates.set("inputBytes", c.inputBytes()));
        sets.add(Updates.set("outputBytes", c.outputBytes()));
        sets.add(Updates.set("error", null));
      }
      case Failure f -> {
        sets.add(Updates.set("status", ImageStatus.FAILED.name()));
        sets.add(Updates.set("error", ErrorText.fit(f.error())));
      }
      case Retry r -> {
        sets.add(Updates.set("status", ImageStatus.PENDING.name()));
        sets.add(Updates.set("error", ErrorText.fit(r.error())));
      }
      case HandBack h -> {
        sets.add(Updates.set("status", ImageStatus.PENDING.name()));
        // The attempt is not counted; a processing image was started, so it is at least 1.
        sets.add(Updates.inc("attempts", -1));
      }
    }
    return new UpdateOneModel<>(
        and(eq("_id", change.imageId()), eq("status", PROCESSING), eq("owner", change.owner())),
        Updates.combine(sets));
  }
}
