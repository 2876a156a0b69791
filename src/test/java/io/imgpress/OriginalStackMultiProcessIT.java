package io.imgpress;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.imgpress.support.CloudinaryStub;
import io.imgpress.support.TestMongo;
import io.imgpress.support.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link MultiProcessScenario} on the original design's stack: MongoDB store (mongo-java-server in
 * this JVM, which the nodes reach over the wire protocol), Redis Streams queue (a redis-server this
 * test starts) and Cloudinary storage (the loopback stub, configured through {@code
 * CLOUDINARY_URL}). After the worker is killed, Redis is also killed and started again with its
 * data gone: the jobs it held come back from the store, through the reconciler.
 */
class OriginalStackMultiProcessIT extends MultiProcessScenario {

  CloudinaryStub cloudinary;
  MongoClient mongo;
  MongoDatabase db;

  @Override
  List<String> backends() {
    cloudinary = new CloudinaryStub();
    String database = "mp" + UUID.randomUUID().toString().replace("-", "");
    mongo = MongoClients.create(TestMongo.uri());
    db = mongo.getDatabase(database);
    return List.of(
        "--imgpress.store=mongodb",
        "--spring.mongodb.uri=" + TestMongo.uri(),
        "--spring.mongodb.database=" + database,
        "--imgpress.queue=redis",
        "--spring.data.redis.url=" + TestRedis.shared().url(),
        "--imgpress.queue.redis.key-prefix=mp-" + UUID.randomUUID() + ":",
        // Quick, so the jobs Redis forgets come back within the test's patience.
        "--imgpress.queue.outbox.reconcile-interval=3s",
        "--imgpress.storage=cloudinary");
  }

  @AfterEach
  void closeBackends() {
    if (cloudinary != null) {
      cloudinary.close();
    }
    if (mongo != null) {
      mongo.close();
    }
  }

  @Override
  Map<String, String> environment() {
    return Map.of(
        "CLOUDINARY_URL",
        cloudinary.cloudinaryUrl(),
        "IMGPRESS_WEBHOOK_SECRET",
        "original-stack-multi-process-secret");
  }

  @Override
  void afterTheKill() {
    TestRedis.shared().restartEmpty();
    // More images left than the surviving worker can hold (its window is 32): some of the jobs
    // Redis forgot were waiting, not held, so only the reconciler can bring them back.
    assertThat(IMAGES - processed()).as("images left when Redis lost its data").isGreaterThan(64);
  }

  @Override
  int processed() {
    int processed = 0;
    for (Document request : db.getCollection("requests").find()) {
      processed += request.getInteger("processedImages", 0);
    }
    return processed;
  }

  @Override
  void assertCountersEqualRecords(String id) {
    Document request = db.getCollection("requests").find(eq("_id", id)).first();
    assertThat(request).isNotNull();
    var images = db.getCollection("images");
    assertThat(request.getInteger("totalImages")).isEqualTo(IMAGES_PER_REQUEST);
    assertThat(images.countDocuments(eq("requestId", id))).isEqualTo(IMAGES_PER_REQUEST);
    assertThat((long) request.getInteger("processedImages"))
        .isEqualTo(images.countDocuments(and(eq("requestId", id), eq("status", "COMPLETED"))))
        .isEqualTo(IMAGES_PER_REQUEST);
  }

  @Override
  List<String> outputUrls() {
    List<String> urls = new ArrayList<>();
    for (Document image : db.getCollection("images").find()) {
      urls.add(image.getString("outputPath"));
    }
    return urls;
  }

  @Override
  Set<String> storedObjects() {
    return cloudinary.publicIds();
  }

  /** {@code .../image/upload/v123/imgpress/<request>/<image>.jpg} → the asset's public id. */
  @Override
  String keyOf(String outputUrl) {
    String afterVersion = outputUrl.replaceFirst("^.*/image/upload/v\\d+/", "");
    return afterVersion.substring(0, afterVersion.lastIndexOf('.'));
  }
}
