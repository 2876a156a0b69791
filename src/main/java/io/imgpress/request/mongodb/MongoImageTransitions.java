package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.nin;
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
import io.imgpress.request.Output;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <li>adopts the images other calls left marked unsettled (below);
 *   <li>applies its image updates in one unordered bulk write, each conditional on the image's
 *       status and owner as the contract says, stamping each changed image with that number, a
 *       token of the call and a marker {@code unsettled: {call: token, at}}; it reads back the
 *       images carrying the token, which are the ones that moved;
 *   <li>when the request becomes final and has a webhook, prepares the webhook job's outbox entry;
 *   <li>settles the request in ONE update, conditional on still holding the lock: counters, status,
 *       the change number (published only here), {@code settledCall} (its token) and the lock's
 *       release; then marks the entry ready and clears its markers.
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
 * the lock again, restamps the images it marked with a fresh number and recounts.
 *
 * <p>The markers cover a call that outlived its lease and then died (or gave up waiting for the
 * lock): its image writes may land after the call that took its lock over had recounted, published
 * and released the lock normally, stamped with a number readers are already past, and no later call
 * would find the lock taken over. So every lock holder, right after taking the lock, looks for
 * images marked by other calls (index {@code requestId, unsettled.call}, partial): it gives them
 * its own number and marker, recounts, and clears them after its settle. The markers of the call
 * named by {@code settledCall} are skipped: that call settled them and is clearing them. When the
 * dead call was the last on its request, no later call comes: {@link MongoJobOutbox#openWork},
 * which the reconciler reads every minute, first repairs every request with markers older than the
 * lease the same way ({@link #repairStale}).
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

  private static final Logger log = LoggerFactory.getLogger(MongoImageTransitions.class);

  private final MongoStore store;
  private final MongoJobOutbox outbox;
  private final Clock clock;
  private Pauses pauses = Pauses.NONE;

  MongoImageTransitions(MongoStore store, MongoJobOutbox outbox, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * Points inside a call where a test makes it stall or die: the writes between them are what a
   * call that outlives its lease, or is killed, leaves behind.
   */
  interface Pauses {
    Pauses NONE = new Pauses() {};

    /** Under the lock, before the image updates are written. */
    default void beforeImageWrites(String requestId) {}

    /** After the image updates are written, before the request is settled. */
    default void beforeSettle(String requestId) {}
  }

  /** Test seam: see {@link Pauses}. */
  void pauses(Pauses pauses) {
    this.pauses = pauses;
  }

  /**
   * Repairs the requests whose images carry {@code unsettled} markers older than {@link #LEASE}:
   * takes each one's lock, gives the marked images a new change number, recounts and settles. This
   * finishes the work of a call that died after writing images but before settling, when no later
   * call on the request comes to do it (it was the last). A marker holds the time its call took the
   * lock, so one older than the lease belongs to a call whose lease ran out: taking the lock (which
   * waits for a live holder) and adopting its images is what any later call would do. Returns how
   * many requests it repaired.
   */
  int repairStale() {
    Instant cutoff = clock.instant().minus(LEASE);
    List<String> requestIds = new ArrayList<>();
    store
        .images
        .distinct(
            "requestId",
            and(exists("unsettled.call"), lte("unsettled.at", MongoStore.date(cutoff))),
            String.class)
        .into(requestIds);
    int repaired = 0;
    for (String requestId : requestIds) {
      try {
        settle(requestId, List.of(), false, true);
        repaired++;
      } catch (RuntimeException e) {
        // Another pass (the next reconcile, or the next call on the request) tries again.
        log.warn("Could not repair MongoDB request {}: {}", requestId, e.toString());
      }
    }
    return repaired;
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
                settled.output,
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
    Output output;
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
    byRequest.forEach(
        (requestId, requestOps) -> all.add(settle(requestId, requestOps, starts, false)));
    return all;
  }

  /**
   * Applies {@code ops} to one request under its lock. With {@code repair}, the markers of every
   * other call are adopted, also those of the call that settled last (see {@link #adopt}).
   */
  private Settled settle(String requestId, List<Op> ops, boolean starts, boolean repair) {
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
    settled.output = MongoRequestRepository.output(request);
    long number = request.getLong("changeNumber") + 1;
    Instant now = clock.instant();
    boolean adopted = adopt(requestId, token, request, number, repair);
    pauses.beforeImageWrites(requestId);
    Document marker = marker(token, now);
    List<WriteModel<Document>> updates = new ArrayList<>(ops.size());
    for (Op op : ops) {
      updates.add(
          starts
              ? startUpdate(op.start, token, number, now, marker)
              : change(op.change, token, number, now, marker));
    }
    if (!updates.isEmpty()) {
      store.images.bulkWrite(updates, new BulkWriteOptions().ordered(false));
      List<Long> ids = ops.stream().map(Op::imageId).toList();
      for (Document image : store.images.find(and(in("_id", ids), eq("lastCall", token)))) {
        settled.images.put(image.getLong("_id"), image);
      }
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
    pauses.beforeSettle(requestId);
    boolean moved = !settled.applied.isEmpty();
    boolean marked = moved || adopted;
    boolean recount = lock.takenOver || adopted;
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
      if (marked) {
        // Its markers are now settled: the next lock holder need not adopt them (see adopt).
        sets.add(Updates.set("settledCall", token));
      }
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
      if (marked) {
        // Every image still carrying our marker: those we moved, and those we adopted that no
        // later holder adopted in turn (that one published them).
        store.images.updateMany(
            and(eq("requestId", requestId), eq("unsettled.call", token)),
            Updates.set("changeNumber", number));
      }
      if (adopt(requestId, token, request, number, repair)) {
        marked = true;
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
    if (marked) {
      try {
        store.images.updateMany(
            and(eq("requestId", requestId), eq("unsettled.call", token)),
            Updates.unset("unsettled"));
      } catch (RuntimeException e) {
        // Settled already: a marker left behind only costs a later holder a needless recount.
        log.warn("Could not clear the markers of request {}: {}", requestId, e.toString());
      }
    }
    return settled;
  }

  private static Document marker(String token, Instant now) {
    return new Document("call", token).append("at", MongoStore.date(now));
  }

  /**
   * Called by each lock holder right after taking the lock: the images marked {@code unsettled} by
   * other calls were written by a call that has not settled them (it died, or outlived its lease
   * and may have lost its lock to a holder that counted before those writes landed). They get this
   * call's {@code number} and marker, so this call recounts, publishes them and clears the marker.
   * The markers of the call that settled the request last ({@code settledCall}) are left to it: it
   * counted and published them and is clearing them just now. A repair adopts those too, since it
   * runs only on markers older than the lease: their call died before clearing them.
   *
   * @return whether any image was adopted
   */
  private boolean adopt(
      String requestId, String token, Document request, long number, boolean repair) {
    Bson others = and(eq("requestId", requestId), exists("unsettled.call"));
    String settledCall = request.getString("settledCall");
    Bson notOurs =
        repair || settledCall == null
            ? ne("unsettled.call", token)
            : nin("unsettled.call", token, settledCall);
    return store
            .images
            .updateMany(
                and(others, notOurs),
                Updates.combine(
                    Updates.set("changeNumber", number),
                    Updates.set("unsettled", marker(token, clock.instant()))))
            .getModifiedCount()
        > 0;
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
      Start start, String token, long number, Instant now, Document marker) {
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
            Updates.set("lastCall", token),
            Updates.set("unsettled", marker)));
  }

  private static UpdateOneModel<Document> change(
      Change change, String token, long number, Instant now, Document marker) {
    List<Bson> sets = new ArrayList<>();
    sets.add(Updates.unset("owner"));
    sets.add(Updates.set("updatedAt", MongoStore.date(now)));
    sets.add(Updates.set("changeNumber", number));
    sets.add(Updates.set("lastCall", token));
    sets.add(Updates.set("unsettled", marker));
    switch (change) {
      case Completion c -> {
        sets.add(Updates.set("status", ImageStatus.COMPLETED.name()));
        sets.add(Updates.set("outputPath", c.outputPath()));
        sets.add(Updates.set("previewPath", c.previewPath()));
        sets.add(Updates.set("inputBytes", c.inputBytes()));
        sets.add(Updates.set("outputBytes", c.outputBytes()));
        sets.add(Updates.set("outputQuality", c.outputQuality()));
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
