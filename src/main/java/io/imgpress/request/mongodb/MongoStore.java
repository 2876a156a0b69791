package io.imgpress.request.mongodb;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * The collections of the MongoDB store and their indexes, created at start ({@code createIndex} is
 * idempotent, so every process of a deployment may run it).
 *
 * <ul>
 *   <li>{@code requests}: one document per request, {@code _id} its UUID as text, with its
 *       counters, status, change number, webhook and the short per-request lock of {@link
 *       MongoImageTransitions};
 *   <li>{@code staged_uploads}: the validated rows of a request until it is expanded ({@code _id}
 *       the request id), with the first ids of its reserved blocks;
 *   <li>{@code products} and {@code images}: {@code _id} the reserved numeric id;
 *   <li>{@code counters}: the next free image and product ids, taken a block at a time;
 *   <li>{@code outbox}: the entries of {@link MongoJobOutbox};
 *   <li>{@code deletions}: the pending deletions of {@link MongoRequestDeletions}, {@code _id} the
 *       request id.
 * </ul>
 */
final class MongoStore {

  final MongoCollection<Document> requests;
  final MongoCollection<Document> staged;
  final MongoCollection<Document> products;
  final MongoCollection<Document> images;
  final MongoCollection<Document> counters;
  final MongoCollection<Document> outbox;
  final MongoCollection<Document> deletions;

  MongoStore(MongoDatabase db) {
    requests = db.getCollection("requests");
    staged = db.getCollection("staged_uploads");
    products = db.getCollection("products");
    images = db.getCollection("images");
    counters = db.getCollection("counters");
    outbox = db.getCollection("outbox");
    deletions = db.getCollection("deletions");
    createIndexes();
  }

  private void createIndexes() {
    // Newest first for the request list.
    requests.createIndex(
        Indexes.compoundIndex(Indexes.descending("createdAt"), Indexes.ascending("_id")));
    // An owner's requests: their list, their unfinished requests, their images of the last hour.
    requests.createIndex(
        Indexes.compoundIndex(
            Indexes.ascending("owner"), Indexes.descending("createdAt"), Indexes.ascending("_id")));
    // A request's products by position (pages), unique: a repeated expansion inserts nothing new.
    products.createIndex(
        Indexes.ascending("requestId", "position"), new IndexOptions().unique(true));
    images.createIndex(Indexes.ascending("productId"));
    // Counting a request's final images (repair after a dead lock holder).
    images.createIndex(Indexes.ascending("requestId", "status"));
    // imagesChanged(after, upTo).
    images.createIndex(Indexes.ascending("requestId", "changeNumber"));
    // The markers of calls not settled yet (MongoImageTransitions.adopt, repairStale): only the
    // images of calls in flight carry one, so partial indexes stay small.
    IndexOptions marked =
        new IndexOptions().partialFilterExpression(Filters.exists("unsettled.call"));
    images.createIndex(Indexes.ascending("requestId", "unsettled.call"), marked);
    images.createIndex(Indexes.ascending("unsettled.at"), marked);
    // The open work: images not final, in id order.
    images.createIndex(Indexes.ascending("status", "_id"));
    outbox.createIndex(Indexes.ascending("availableAt", "createdAt"));
    // Deleting a request removes the unrelayed entries of its jobs, found by their refs.
    outbox.createIndex(Indexes.ascending("jobs.ref"));
    // Retention: final requests, oldest change first.
    requests.createIndex(Indexes.ascending("status", "updatedAt"));
    deletions.createIndex(Indexes.ascending("dueAt", "_id"));
  }

  static Date date(Instant instant) {
    return Date.from(instant);
  }

  static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  /** A write refused only because a document with its {@code _id} or unique key exists. */
  static boolean duplicateKey(RuntimeException e) {
    if (e instanceof MongoWriteException w) {
      return w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
    if (e instanceof MongoBulkWriteException b) {
      return b.getWriteConcernError() == null
          && b.getWriteErrors().stream()
              .allMatch(
                  err -> ErrorCategory.fromErrorCode(err.getCode()) == ErrorCategory.DUPLICATE_KEY);
    }
    return false;
  }
}
