package io.imgpress.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.request.OutputFormat;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStore.Stored;
import io.imgpress.storage.ImageStoreContract;
import io.imgpress.storage.StorageKey;
import io.imgpress.support.JarProcess;
import io.imgpress.support.LoopbackServer;
import io.imgpress.support.S3ProxyServer;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 adapter against a real S3 server on loopback (S3Proxy, started by the tests), through the
 * client the service builds ({@link S3StorageConfiguration#client}); each test has a bucket of its
 * own.
 */
class S3ImageStoreTest extends ImageStoreContract {

  static S3ProxyServer server;
  static S3Client client;

  String bucket;
  S3ImageStore store;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.shared();
    client =
        S3StorageConfiguration.client(
            settings(server.endpoint(), null), S3ProxyServer.credentials());
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  @BeforeEach
  void createBucket() {
    bucket = server.createBucket();
    store = new S3ImageStore(client, bucket, "", null);
  }

  static S3StorageProperties settings(URI endpoint, String publicBaseUrl) {
    return new S3StorageProperties(
        "unused", endpoint, S3ProxyServer.REGION, true, publicBaseUrl, "", 64);
  }

  @Override
  protected ImageStore store() {
    return store;
  }

  @Override
  protected Set<String> objects() {
    return server.objects(bucket);
  }

  @Test
  void theServerRefusesAConditionalWriteOverAnObject() {
    // What the adapter relies on: were If-None-Match ignored, the contract's "never replaced"
    // tests would fail too, but this names the cause.
    String key = "probe/1.jpg";
    server.admin().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(new byte[] {1}));

    assertThatThrownBy(
            () ->
                server
                    .admin()
                    .putObject(
                        b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                        RequestBody.fromBytes(new byte[] {2, 2})))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
  }

  @Test
  void theSameImageStoredTwiceIsOneObject() {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 3);

    Stored first = store.put(key, bytesOf(30));
    Stored redelivered = store.put(key, bytesOf(31));

    assertThat(first).isEqualTo(new Stored(30, true));
    assertThat(redelivered).isEqualTo(new Stored(30, false));
    assertThat(objects()).containsExactly(key.requestId() + "/3.jpg");
  }

  @Test
  void objectsAreJpegsCachedForever() {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 4);
    store.put(key, bytesOf(4));

    HeadObjectResponse head =
        server.admin().headObject(b -> b.bucket(bucket).key(key.requestId() + "/4.jpg"));

    assertThat(head.contentType()).isEqualTo("image/jpeg");
    assertThat(head.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
    assertThat(head.contentLength()).isEqualTo(4);
  }

  @Test
  void webpAndAvifObjectsCarryTheirOwnContentType() {
    UUID requestId = UUID.randomUUID();
    store.put(StorageKey.forImage(requestId, 5, OutputFormat.WEBP), bytesOf(5));
    store.put(StorageKey.forImage(requestId, 6, OutputFormat.AVIF), bytesOf(6));

    assertThat(
            server
                .admin()
                .headObject(b -> b.bucket(bucket).key(requestId + "/5.webp"))
                .contentType())
        .isEqualTo("image/webp");
    assertThat(
            server
                .admin()
                .headObject(b -> b.bucket(bucket).key(requestId + "/6.avif"))
                .contentType())
        .isEqualTo("image/avif");
  }

  @Test
  void aKeyPrefixPutsObjectsUnderItAndIntoTheirPublicUrls() throws Exception {
    S3ImageStore prefixed =
        new S3ImageStore(client, bucket, "imgpress/outputs/", "https://cdn.example.com/img");
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 5);

    prefixed.put(key, bytesOf(5));

    assertThat(objects()).containsExactly("imgpress/outputs/" + key.requestId() + "/5.jpg");
    assertThat(prefixed.publicUrl(key))
        .hasValue("https://cdn.example.com/img/imgpress/outputs/" + key.requestId() + "/5.jpg");
    try (InputStream in = prefixed.get(key).orElseThrow().content()) {
      assertThat(in.readAllBytes()).isEqualTo(bytesOf(5));
    }
    assertThat(store.get(key)).as("the same key without the prefix is another object").isEmpty();
  }

  @Test
  void withoutAPublicBaseUrlTheServiceServesTheObjects() {
    assertThat(store.publicUrl(StorageKey.forImage(UUID.randomUUID(), 1))).isEmpty();
  }

  @Test
  void theHealthCheckNamesAMissingBucket() {
    S3ImageStore missing =
        new S3ImageStore(client, "no-such-bucket-" + UUID.randomUUID(), "", null);

    assertThatThrownBy(missing::checkHealth)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("S3 bucket no-such-bucket-")
        .hasMessageContaining("does not exist");
  }

  @Test
  void theHealthCheckNamesRefusedCredentials() {
    try (S3Client wrong =
        S3StorageConfiguration.client(
            settings(server.endpoint(), null),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, "not-the-secret")))) {
      S3ImageStore refused = new S3ImageStore(wrong, bucket, "", null);

      assertThatThrownBy(refused::checkHealth)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("the credentials are refused");
      assertThatThrownBy(() -> refused.put(StorageKey.forImage(UUID.randomUUID(), 1), bytesOf(1)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not store");
    }
  }

  @Test
  void anUnreachableServiceFailsEveryCallWithAnUncheckedIoException() throws Exception {
    URI closed = URI.create("http://127.0.0.1:" + JarProcess.freePort());
    try (S3Client nowhere =
        S3StorageConfiguration.client(settings(closed, null), S3ProxyServer.credentials())) {
      S3ImageStore unreachable = new S3ImageStore(nowhere, bucket, "", null);
      StorageKey key = StorageKey.forImage(UUID.randomUUID(), 1);

      assertThatThrownBy(() -> unreachable.put(key, bytesOf(1)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(
              "could not store " + key.requestId() + "/1.jpg in bucket " + bucket);
      assertThatThrownBy(
              () ->
                  unreachable.putAll(
                      List.of(
                          new ImageStore.Put(key, bytesOf(1)),
                          new ImageStore.Put(StorageKey.forImage(key.requestId(), 2), bytesOf(2)))))
          .isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> unreachable.get(key))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not read");
      assertThatThrownBy(unreachable::checkHealth)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot be reached");
    }
  }

  @Test
  void anObjectServedWithoutAnETagFailsTheReadAndGivesItsConnectionBack() throws Exception {
    // A service that leaves the ETag out: each read must fail with a reason and must not keep
    // the pool's one connection, or the next read would wait for it.
    byte[] body = bytesOf(7);
    try (LoopbackServer noETag =
            new LoopbackServer()
                .on(
                    "/",
                    ex -> {
                      ex.getResponseHeaders().set("Content-Type", "image/jpeg");
                      ex.sendResponseHeaders(200, body.length);
                      try (var out = ex.getResponseBody()) {
                        out.write(body);
                      }
                    });
        S3Client onePooled =
            S3StorageConfiguration.client(
                new S3StorageProperties(
                    "unused", noETag.uri("/"), S3ProxyServer.REGION, true, null, "", 1),
                S3ProxyServer.credentials())) {
      S3ImageStore store = new S3ImageStore(onePooled, "bucket", "", null);
      StorageKey key = StorageKey.forImage(UUID.randomUUID(), 1);

      long began = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> store.get(key))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("without an ETag or a length");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
