package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.imgpress.request.PendingDeletion;
import io.imgpress.request.RequestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;

/**
 * The deletion side of {@link MongoRequestRepository}, without transactions: {@link #delete}
 * records the pending deletion first, then removes the request document (from then on every read
 * and every transition sees an unknown request), then the outbox entries of its jobs, its images,
 * products and staged rows. A process dying in between leaves the record, and a repeat (the
 * sweeper's, when the record is due) removes what is left; the removals are idempotent. So does the
 * later look of the sweeper, which also removes images an expansion racing the deletion inserted
 * after it (that expansion's flip finds no request and leaves them).
 */
final class MongoRequestDeletions {

  /** Refs per outbox removal, to keep each filter small. */
  private static final int CHUNK = 1000;

  private final MongoStore store;

  MongoRequestDeletions(MongoStore store) {
    this.store = store;
  }

  boolean delete(UUID id, Instant now, Instant dueAt) {
    String requestId = id.toString();
    boolean exists =
        store.requests.find(eq("_id", requestId)).projection(Projections.include("_id")).first()
            != null;
    if (exists) {
      store.deletions.updateOne(
          eq("_id", requestId),
          Updates.combine(
              Updates.setOnInsert("deletedAt", MongoStore.date(now)),
              Updates.set("dueAt", MongoStore.date(dueAt))),
          new UpdateOptions().upsert(true));
    } else if (store.deletions.find(eq("_id", requestId)).first() == null) {
      return false;
    }
    boolean removed = store.requests.deleteOne(eq("_id", requestId)).getDeletedCount() == 1;
    List<String> refs = new ArrayList<>();
    refs.add(requestId);
    for (Document image :
        store.images.find(eq("requestId", requestId)).projection(Projections.include("_id"))) {
      refs.add(Long.toString(image.getLong("_id")));
    }
    for (int from = 0; from < refs.size(); from += CHUNK) {
      store.outbox.deleteMany(
          in("jobs.ref", refs.subList(from, Math.min(refs.size(), from + CHUNK))));
    }
    store.images.deleteMany(eq("requestId", requestId));
    store.products.deleteMany(eq("requestId", requestId));
    store.staged.deleteOne(eq("_id", requestId));
    return exists && removed;
  }

  List<UUID> finishedBefore(Instant cutoff, int limit) {
    List<UUID> ids = new ArrayList<>();
    for (Document request :
        store
            .requests
            .find(
                and(
                    in("status", RequestStatus.COMPLETED.name(), RequestStatus.FAILED.name()),
                    lt("updatedAt", MongoStore.date(cutoff))))
            .projection(Projections.include("_id"))
            .sort(Sorts.ascending("updatedAt", "_id"))
            .limit(limit)) {
      ids.add(UUID.fromString(request.getString("_id")));
    }
    return ids;
  }

  List<PendingDeletion> due(Instant now, int limit) {
    List<PendingDeletion> due = new ArrayList<>();
    for (Document deletion :
        store
            .deletions
            .find(lte("dueAt", MongoStore.date(now)))
            .sort(Sorts.ascending("dueAt", "_id"))
            .limit(limit)) {
      due.add(toDeletion(deletion));
    }
    return due;
  }

  Optional<PendingDeletion> find(UUID id) {
    return Optional.ofNullable(store.deletions.find(eq("_id", id.toString())).first())
        .map(MongoRequestDeletions::toDeletion);
  }

  void dueAt(UUID id, Instant dueAt) {
    store.deletions.updateOne(
        eq("_id", id.toString()), Updates.set("dueAt", MongoStore.date(dueAt)));
  }

  void forget(UUID id) {
    store.deletions.deleteOne(eq("_id", id.toString()));
  }

  private static PendingDeletion toDeletion(Document doc) {
    return new PendingDeletion(
        UUID.fromString(doc.getString("_id")), MongoStore.instant(doc.getDate("deletedAt")));
  }
}
