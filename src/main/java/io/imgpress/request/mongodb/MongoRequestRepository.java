package io.imgpress.request.mongodb;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.imgpress.db.ErrorText;
import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.request.ImageStatus;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Output;
import io.imgpress.request.OutputFormat;
import io.imgpress.request.PendingDeletion;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.RequestStatus;
import io.imgpress.request.StagedRows;
import io.imgpress.request.StagedUpload;
import io.imgpress.request.WebhookStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * {@link RequestRepository} on MongoDB, without multi-document transactions: each step that others
 * may observe is one single-document write, and the writes of a step are ordered so that a process
 * dying between two of them leaves nothing a reader acts on, and a repeat finishes the work.
 *
 * <p>{@link #stage} reserves the image and product ids ({@code $inc} on a counter, so concurrent
 * uploads get disjoint blocks), writes the intake job's outbox entry, the staged rows, then the
 * request document, which makes the request exist. If either insert fails (a duplicate request id,
 * the database gone), it discards the entry and removes the staged rows it wrote, so nothing is
 * relayed for a request that does not exist. {@link #expand} inserts the products and images with
 * their reserved ids (duplicates from an earlier, interrupted expansion are skipped), writes the
 * image jobs' entries (at most {@link MongoJobOutbox#MAX_JOBS_PER_ENTRY} jobs each, far below the
 * 16 MB document limit), and then flips the request's {@code expanded} flag with a conditional
 * update: only that flip makes the images part of the request (every read and every transition
 * looks at it), and only one expansion or {@link #failStaged} can make it. The loser removes what
 * it wrote.
 */
final class MongoRequestRepository implements RequestRepository {

  private static final String PENDING = RequestStatus.PENDING.name();
  private static final String PROCESSING = RequestStatus.PROCESSING.name();

  private final MongoStore store;
  private final MongoJobOutbox outbox;
  private final Clock clock;
  private final MongoRequestDeletions deletions;

  MongoRequestRepository(MongoStore store, MongoJobOutbox outbox, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
    this.deletions = new MongoRequestDeletions(store);
  }

  @Override
  public void stage(NewRequest request) {
    Instant now = clock.instant();
    String id = request.id().toString();
    long firstImageId = reserve("imageIds", request.totalImages());
    long firstProductId = reserve("productIds", request.products().size());
    String entry = outbox.prepare(List.of(new Job(JobKind.INTAKE, id, now, 0)));
    // Names this call's documents, so that undoing a failed stage removes only what it wrote (the
    // id may be another request's).
    String call = UUID.randomUUID().toString();
    try {
      insert(request, id, call, now, firstImageId, firstProductId);
    } catch (RuntimeException e) {
      boolean landed;
      try {
        // An error may come after the request document was written (a lost reply).
        landed = store.requests.find(and(eq("_id", id), eq("stagedBy", call))).first() != null;
      } catch (RuntimeException check) {
        // Cannot tell: the entry stays, relayed after STRANDED, and its job acts on what it finds.
        e.addSuppressed(check);
        throw e;
      }
      if (!landed) {
        try {
          outbox.discard(entry);
          store.staged.deleteOne(and(eq("_id", id), eq("stagedBy", call)));
        } catch (RuntimeException undo) {
          e.addSuppressed(undo);
        }
        throw e;
      }
    }
    outbox.ready(entry);
  }

  private void insert(
      NewRequest request,
      String id,
      String call,
      Instant now,
      long firstImageId,
      long firstProductId) {
    store.staged.insertOne(
        new Document("_id", id)
            .append("rows", StagedRows.encode(request.products()))
            .append("firstImageId", firstImageId)
            .append("firstProductId", firstProductId)
            .append("stagedBy", call));
    Document webhook =
        request.webhookUrl() == null
            ? null
            : new Document("url", request.webhookUrl())
                .append("status", WebhookStatus.PENDING.name())
                .append("attempts", 0)
                .append("error", null);
    store.requests.insertOne(
        new Document("_id", id)
            .append("owner", request.owner())
            .append("status", PENDING)
            .append("quality", request.output().quality())
            .append("outputFormat", request.output().format().name())
            .append("maxWidth", request.output().maxWidth())
            .append("maxHeight", request.output().maxHeight())
            .append("totalImages", request.totalImages())
            .append("processedImages", 0)
            .append("failedImages", 0)
            .append("webhook", webhook)
            .append("createdAt", MongoStore.date(now))
            .append("updatedAt", MongoStore.date(now))
            .append("changeNumber", 0L)
            .append("error", null)
            .append("expanded", false)
            .append("stagedBy", call));
  }

  /** The first of {@code count} ids no other caller ever gets. */
  private long reserve(String counter, int count) {
    Document after =
        store.counters.findOneAndUpdate(
            eq("_id", counter),
            Updates.inc("last", (long) count),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
    return ((Number) after.get("last")).longValue() - count + 1;
  }

  @Override
  public Optional<StagedUpload> staged(UUID id) {
    Document request = request(id);
    if (request == null || request.getBoolean("expanded", false)) {
      return Optional.empty();
    }
    Document staged = store.staged.find(eq("_id", id.toString())).first();
    return Optional.ofNullable(staged)
        .map(
            s ->
                new StagedUpload(
                    s.getLong("firstImageId"), StagedRows.decode(s.getString("rows"))));
  }

  @Override
  public Optional<List<Long>> expand(UUID id) {
    String requestId = id.toString();
    Document request = request(id);
    if (request == null
        || request.getBoolean("expanded", false)
        || RequestStatus.valueOf(request.getString("status")).isFinal()) {
      return Optional.empty();
    }
    Document staged = store.staged.find(eq("_id", requestId)).first();
    if (staged == null) {
      return Optional.empty();
    }
    List<NewProduct> rows = StagedRows.decode(staged.getString("rows"));
    long firstImageId = staged.getLong("firstImageId");
    long firstProductId = staged.getLong("firstProductId");
    Instant now = clock.instant();
    List<Document> products = new ArrayList<>(rows.size());
    List<Document> images = new ArrayList<>();
    List<Long> imageIds = new ArrayList<>();
    List<Job> jobs = new ArrayList<>();
    long imageId = firstImageId;
    for (int p = 0; p < rows.size(); p++) {
      NewProduct row = rows.get(p);
      long productId = firstProductId + p;
      products.add(
          new Document("_id", productId)
              .append("requestId", requestId)
              .append("position", p)
              .append("serialNumber", row.serialNumber())
              .append("name", row.name()));
      for (String url : row.inputUrls()) {
        long rank = imageId - firstImageId;
        images.add(
            new Document("_id", imageId)
                .append("requestId", requestId)
                .append("productId", productId)
                .append("rank", rank)
                .append("inputUrl", url)
                .append("status", ImageStatus.PENDING.name())
                .append("attempts", 0)
                .append("changeNumber", 0L)
                .append("updatedAt", MongoStore.date(now)));
        imageIds.add(imageId);
        jobs.add(new Job(JobKind.IMAGE, Long.toString(imageId), now, rank));
        imageId++;
      }
    }
    insertSkippingDuplicates(store.products, products);
    insertSkippingDuplicates(store.images, images);
    List<String> entries = prepareInChunks(jobs);
    boolean flipped =
        store
                .requests
                .updateOne(
                    and(
                        eq("_id", requestId),
                        eq("expanded", false),
                        in("status", PENDING, PROCESSING)),
                    Updates.set("expanded", true))
                .getModifiedCount()
            == 1;
    if (!flipped) {
      entries.forEach(outbox::discard);
      removeOrphans(requestId);
      return Optional.empty();
    }
    entries.forEach(outbox::ready);
    store.staged.deleteOne(eq("_id", requestId));
    return Optional.of(imageIds);
  }

  /**
   * The image jobs' entries, {@link MongoJobOutbox#MAX_JOBS_PER_ENTRY} jobs each at most, in rank
   * order: one entry for all would pass MongoDB's 16 MB document limit above some 200,000 images.
   */
  private List<String> prepareInChunks(List<Job> jobs) {
    List<String> entries = new ArrayList<>();
    try {
      for (int from = 0; from < jobs.size(); from += MongoJobOutbox.MAX_JOBS_PER_ENTRY) {
        int to = Math.min(jobs.size(), from + MongoJobOutbox.MAX_JOBS_PER_ENTRY);
        entries.add(outbox.prepare(jobs.subList(from, to)));
      }
    } catch (RuntimeException e) {
      try {
        entries.forEach(outbox::discard);
      } catch (RuntimeException undo) {
        // Left stranded: relayed after STRANDED, their jobs find the images not part of a request.
        e.addSuppressed(undo);
      }
      throw e;
    }
    return entries;
  }

  private static void insertSkippingDuplicates(
      com.mongodb.client.MongoCollection<Document> collection, List<Document> docs) {
    if (docs.isEmpty()) {
      return;
    }
    try {
      collection.insertMany(docs, new InsertManyOptions().ordered(false));
    } catch (RuntimeException e) {
      // Left by an expansion that died before its flip: the same documents, with the same ids.
      if (!MongoStore.duplicateKey(e)) {
        throw e;
      }
    }
  }

  /**
   * Products and images of a request that failed before any expansion flipped it: nothing reads
   * them (every read checks the flag) but they would be listed as open work.
   */
  private void removeOrphans(String requestId) {
    Document request = store.requests.find(eq("_id", requestId)).first();
    if (request != null && !request.getBoolean("expanded", false)) {
      store.images.deleteMany(eq("requestId", requestId));
      store.products.deleteMany(eq("requestId", requestId));
    }
  }

  @Override
  public boolean failStaged(UUID id, String reason) {
    String requestId = id.toString();
    Document request = request(id);
    if (request == null
        || request.getBoolean("expanded", false)
        || RequestStatus.valueOf(request.getString("status")).isFinal()
        || store.staged.find(eq("_id", requestId)).first() == null) {
      return false;
    }
    Instant now = clock.instant();
    String entry =
        request.get("webhook") == null
            ? null
            : outbox.prepare(List.of(new Job(JobKind.WEBHOOK, requestId, now, 0)));
    int total = request.getInteger("totalImages");
    boolean failed =
        store
                .requests
                .updateOne(
                    and(
                        eq("_id", requestId),
                        eq("expanded", false),
                        in("status", PENDING, PROCESSING)),
                    Updates.combine(
                        Updates.set("status", RequestStatus.FAILED.name()),
                        Updates.set("processedImages", total),
                        Updates.set("failedImages", total),
                        Updates.set("error", ErrorText.fit(reason)),
                        Updates.set("updatedAt", MongoStore.date(now))))
                .getModifiedCount()
            == 1;
    if (entry != null) {
      if (failed) {
        outbox.ready(entry);
      } else {
        outbox.discard(entry);
      }
    }
    if (failed) {
      removeOrphans(requestId);
    }
    return failed;
  }

  private Document request(UUID id) {
    return store
        .requests
        .find(eq("_id", id.toString()))
        .projection(Projections.exclude("lock"))
        .first();
  }

  private boolean expanded(UUID id) {
    Document request =
        store
            .requests
            .find(eq("_id", id.toString()))
            .projection(Projections.include("expanded"))
            .first();
    return request != null && request.getBoolean("expanded", false);
  }

  @Override
  public Optional<Request> find(UUID id) {
    return Optional.ofNullable(request(id)).map(MongoRequestRepository::toRequest);
  }

  @Override
  public List<Product> products(UUID id) {
    return products(id, 0, Integer.MAX_VALUE);
  }

  @Override
  public List<Product> products(UUID id, int offset, int limit) {
    if (limit <= 0 || !expanded(id)) {
      return List.of();
    }
    var found =
        store
            .products
            .find(eq("requestId", id.toString()))
            .sort(Sorts.ascending("position"))
            .skip(offset);
    if (limit < Integer.MAX_VALUE) {
      found = found.limit(limit);
    }
    Map<Long, Document> products = new LinkedHashMap<>();
    for (Document product : found) {
      products.put(product.getLong("_id"), product);
    }
    if (products.isEmpty()) {
      return List.of();
    }
    Map<Long, List<Product.Image>> images = new LinkedHashMap<>();
    Bson ofProducts =
        offset == 0 && limit == Integer.MAX_VALUE
            ? eq("requestId", id.toString())
            : in("productId", products.keySet());
    for (Document image : store.images.find(ofProducts).sort(Sorts.ascending("_id"))) {
      images
          .computeIfAbsent(image.getLong("productId"), p -> new ArrayList<>())
          .add(toImage(image));
    }
    List<Product> result = new ArrayList<>(products.size());
    for (Document product : products.values()) {
      long productId = product.getLong("_id");
      result.add(
          new Product(
              productId,
              product.getLong("serialNumber"),
              product.getString("name"),
              List.copyOf(images.getOrDefault(productId, List.of()))));
    }
    return result;
  }

  @Override
  public int productCount(UUID id) {
    return expanded(id) ? (int) store.products.countDocuments(eq("requestId", id.toString())) : 0;
  }

  @Override
  public List<Product.Image> imagesChanged(UUID id, long after, long upTo) {
    if (upTo <= after) {
      return List.of();
    }
    List<Product.Image> changed = new ArrayList<>();
    for (Document image :
        store
            .images
            .find(
                and(
                    eq("requestId", id.toString()),
                    gt("changeNumber", after),
                    lte("changeNumber", upTo)))
            .sort(Sorts.ascending("_id"))) {
      changed.add(toImage(image));
    }
    return changed;
  }

  @Override
  public List<Request> recent(int offset, int limit) {
    return recent(new Document(), offset, limit);
  }

  @Override
  public List<Request> recent(String owner, int offset, int limit) {
    return recent(eq("owner", owner), offset, limit);
  }

  @Override
  public int unfinished(String owner) {
    return (int)
        store.requests.countDocuments(and(eq("owner", owner), in("status", PENDING, PROCESSING)));
  }

  @Override
  public long imagesSince(String owner, Instant since) {
    long images = 0;
    for (Document request :
        store
            .requests
            .find(and(eq("owner", owner), gte("createdAt", MongoStore.date(since))))
            .projection(Projections.include("totalImages"))) {
      images += request.getInteger("totalImages");
    }
    return images;
  }

  private List<Request> recent(Bson filter, int offset, int limit) {
    List<Request> recent = new ArrayList<>();
    for (Document request :
        store
            .requests
            .find(filter)
            .projection(Projections.exclude("lock"))
            .sort(Sorts.orderBy(Sorts.descending("createdAt"), Sorts.ascending("_id")))
            .skip(offset)
            .limit(limit)) {
      recent.add(toRequest(request));
    }
    return recent;
  }

  /** See {@link MongoRequestDeletions} for the order of its writes. */
  @Override
  public boolean delete(UUID id, Instant dueAt) {
    return deletions.delete(id, clock.instant(), dueAt);
  }

  @Override
  public List<UUID> finishedBefore(Instant cutoff, int limit) {
    return deletions.finishedBefore(cutoff, limit);
  }

  @Override
  public List<PendingDeletion> deletionsDue(Instant now, int limit) {
    return deletions.due(now, limit);
  }

  @Override
  public Optional<PendingDeletion> deletion(UUID id) {
    return deletions.find(id);
  }

  @Override
  public void deletionDueAt(UUID id, Instant dueAt) {
    deletions.dueAt(id, dueAt);
  }

  @Override
  public void forgetDeletion(UUID id) {
    deletions.forget(id);
  }

  static Request toRequest(Document doc) {
    Document hook = doc.get("webhook", Document.class);
    Request.Webhook webhook =
        hook == null
            ? null
            : new Request.Webhook(
                hook.getString("url"),
                WebhookStatus.valueOf(hook.getString("status")),
                hook.getInteger("attempts"),
                hook.getString("error"));
    return new Request(
        UUID.fromString(doc.getString("_id")),
        RequestStatus.valueOf(doc.getString("status")),
        output(doc),
        doc.getInteger("totalImages"),
        doc.getInteger("processedImages"),
        doc.getInteger("failedImages"),
        webhook,
        MongoStore.instant(doc.getDate("createdAt")),
        MongoStore.instant(doc.getDate("updatedAt")),
        doc.getLong("changeNumber"),
        doc.getString("error"),
        doc.getString("owner"));
  }

  /**
   * The output of a request document; one written before outputs had options has only its quality:
   * a JPEG at the source's size.
   */
  static Output output(Document doc) {
    String format = doc.getString("outputFormat");
    return new Output(
        format == null ? OutputFormat.JPEG : OutputFormat.valueOf(format),
        doc.getInteger("quality"),
        doc.getInteger("maxWidth", 0),
        doc.getInteger("maxHeight", 0));
  }

  static Product.Image toImage(Document doc) {
    return new Product.Image(
        doc.getLong("_id"),
        doc.getString("inputUrl"),
        doc.getString("outputPath"),
        doc.getString("previewPath"),
        ImageStatus.valueOf(doc.getString("status")),
        doc.getString("error"),
        doc.getInteger("attempts"),
        longOrNull(doc.get("inputBytes")),
        longOrNull(doc.get("outputBytes")),
        doc.getLong("changeNumber"),
        doc.getInteger("outputQuality"));
  }

  private static Long longOrNull(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }
}
