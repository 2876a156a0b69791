package io.imgpress.storage.cloudinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.request.OutputFormat;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStore.Stored;
import io.imgpress.storage.ImageStoreContract;
import io.imgpress.storage.StorageKey;
import io.imgpress.support.CloudinaryStub;
import io.imgpress.support.JarProcess;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Cloudinary adapter, through the client the service builds ({@link
 * CloudinaryStorageConfiguration#store}), against the loopback Cloudinary ({@link CloudinaryStub}),
 * which checks every upload's signature; each test has a folder of its own.
 */
class CloudinaryImageStoreTest extends ImageStoreContract {

  static CloudinaryStub stub;

  String folder;
  CloudinaryImageStore store;

  @BeforeAll
  static void startStub() {
    stub = new CloudinaryStub();
  }

  @AfterAll
  static void stopStub() {
    stub.close();
  }

  @BeforeEach
  void openStore() {
    folder = "t" + UUID.randomUUID().toString().substring(0, 8);
    store = store(stub.cloudinaryUrl(), folder);
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }

  static CloudinaryStorageProperties settings(String folder) {
    return new CloudinaryStorageProperties(
        null, folder, Duration.ofSeconds(5), 8, Duration.ofMinutes(1));
  }

  static CloudinaryImageStore store(String url, String folder) {
    return CloudinaryStorageConfiguration.store(url, settings(folder));
  }

  @Override
  protected ImageStore store() {
    return store;
  }

  @Override
  protected Set<String> objects() {
    return stub.publicIds().stream()
        .filter(id -> id.startsWith(folder + "/"))
        .collect(Collectors.toSet());
  }

  @Test
  void theSameImageStoredTwiceIsOneAssetUnderADeterministicPublicId() {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 3);

    Stored first = store.put(key, bytesOf(30));
    Stored redelivered = store.put(key, bytesOf(31));

    String secureUrl =
        stub.deliveryPrefix()
            + "/image/upload/v"
            + stub.asset(folder + "/" + key.requestId() + "/3").version()
            + "/"
            + folder
            + "/"
            + key.requestId()
            + "/3.jpg";
    assertThat(first)
        .as("recorded at the secure_url Cloudinary answered")
        .isEqualTo(new Stored(30, true, secureUrl));
    assertThat(redelivered)
        .as("the existing asset's secure_url")
        .isEqualTo(new Stored(30, false, secureUrl));
    assertThat(objects()).containsExactly(folder + "/" + key.requestId() + "/3");
    assertThat(stub.asset(folder + "/" + key.requestId() + "/3").bytes()).isEqualTo(bytesOf(30));
  }

  @Test
  void thePublicUrlIsTheSecureUrlButForItsVersionAndDeliversTheAsset() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 4);
    Stored stored = store.put(key, bytesOf(4));
    CloudinaryStub.Asset asset = stub.asset(folder + "/" + key.requestId() + "/4");

    String url = store.publicUrl(key).orElseThrow();

    String path = folder + "/" + key.requestId() + "/4.jpg";
    String secureUrl = stub.deliveryPrefix() + "/image/upload/v" + asset.version() + "/" + path;
    assertThat(url).isEqualTo(stub.deliveryPrefix() + "/image/upload/v1/" + path);
    assertThat(stored.url()).isEqualTo(secureUrl);
    assertThat(CloudinaryImageStore.withoutVersion(url))
        .as("the upload's secure_url but for its version")
        .isEqualTo(CloudinaryImageStore.withoutVersion(secureUrl));
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> served =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.body()).isEqualTo(bytesOf(4));
    }
    try (InputStream in = store.get(key).orElseThrow().content()) {
      assertThat(in.readAllBytes()).isEqualTo(bytesOf(4));
    }
    assertThat(store.get(key).orElseThrow().etag()).isEqualTo("\"" + asset.etag() + "\"");
  }

  @Test
  void withoutAFolderThePublicIdIsTheKeyWithoutItsExtension() throws Exception {
    try (CloudinaryImageStore bare = store(stub.cloudinaryUrl(), "")) {
      StorageKey key = StorageKey.forImage(UUID.randomUUID(), 5);
      bare.put(key, bytesOf(5));

      assertThat(stub.publicIds()).contains(key.requestId() + "/5");
      assertThat(bare.publicUrl(key))
          .hasValue(stub.deliveryPrefix() + "/image/upload/v1/" + key.requestId() + "/5.jpg");
    }
  }

  @Test
  void aWebpOrAvifOutputIsDeliveredAsItsOwnFormat() throws Exception {
    UUID requestId = UUID.randomUUID();
    StorageKey webp = StorageKey.forImage(requestId, 6, OutputFormat.WEBP);
    StorageKey avif = StorageKey.forImage(requestId, 7, OutputFormat.AVIF);
    store.put(webp, WEBP);
    store.put(avif, AVIF);

    assertThat(stub.asset(folder + "/" + requestId + "/6").format()).isEqualTo("webp");
    assertThat(stub.asset(folder + "/" + requestId + "/7").format()).isEqualTo("avif");
    String webpUrl = store.publicUrl(webp).orElseThrow();
    assertThat(webpUrl).endsWith("/v1/" + folder + "/" + requestId + "/6.webp");
    assertThat(store.publicUrl(avif).orElseThrow())
        .endsWith("/v1/" + folder + "/" + requestId + "/7.avif");
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> served =
          client.send(
              HttpRequest.newBuilder(URI.create(webpUrl)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.headers().firstValue("Content-Type")).hasValue("image/webp");
      assertThat(served.body()).isEqualTo(WEBP);
    }
  }

  @Test
  void limitsAndServerErrorsAreRetriedThenFailWithTheirStatus() {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 6);
    int before = stub.uploads();
    stub.failNext(1, 420).failNext(1, 500);

    assertThat(store.put(key, bytesOf(6)).size()).isEqualTo(6);
    assertThat(stub.uploads() - before).isEqualTo(3);

    StorageKey other = StorageKey.forImage(key.requestId(), 7);
    // 502: Apache HttpClient itself retries a 503 (and a 429) once, after a second.
    stub.failNext(CloudinaryImageStore.TRIES, 502);
    assertThatThrownBy(() -> store.put(other, bytesOf(7)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("could not store " + folder + "/" + key.requestId() + "/7")
        .hasMessageContaining("HTTP 502");
    assertThat(store.get(other)).isEmpty();
  }

  @Test
  void aWrongSecretFailsAtOnceAndTheHealthCheckSaysSo() throws Exception {
    try (CloudinaryImageStore refused =
        store(stub.cloudinaryUrl(CloudinaryStub.API_KEY, "not-the-secret", ""), folder)) {
      int before = stub.uploads();

      assertThatThrownBy(() -> refused.put(StorageKey.forImage(UUID.randomUUID(), 1), bytesOf(1)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("HTTP 401 Invalid Signature")
          .hasMessageNotContaining("not-the-secret");
      assertThat(stub.uploads() - before).as("a refusal is not retried").isEqualTo(1);
      assertThatThrownBy(refused::checkHealth)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("the API key and secret of CLOUDINARY_URL are refused");
    }
    assertThat(objects()).isEmpty();
  }

  @Test
  void sha256SignaturesWorkWhenTheAccountAcceptsOnlyThose() throws Exception {
    stub.sha256Only(true);
    try (CloudinaryImageStore sha256 =
        store(
            stub.cloudinaryUrl(
                CloudinaryStub.API_KEY, CloudinaryStub.API_SECRET, "&signature_algorithm=SHA256"),
            folder)) {
      StorageKey key = StorageKey.forImage(UUID.randomUUID(), 2);
      assertThat(sha256.put(key, bytesOf(2)).created()).isTrue();
      assertThatThrownBy(() -> store.put(StorageKey.forImage(key.requestId(), 3), bytesOf(3)))
          .as("the default SHA-1 is refused by such an account")
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("Invalid Signature");
    } finally {
      stub.sha256Only(false);
    }
  }

  @Test
  void theHealthCheckPingsOncePerInterval() throws Exception {
    int before = stub.pings();

    store.checkHealth();
    store.checkHealth();
    store.checkHealth();

    assertThat(stub.pings() - before).isEqualTo(1);
    try (CloudinaryImageStore everyTime =
        CloudinaryStorageConfiguration.store(
            stub.cloudinaryUrl(),
            new CloudinaryStorageProperties(
                null, folder, Duration.ofSeconds(5), 8, Duration.ZERO))) {
      everyTime.checkHealth();
      everyTime.checkHealth();
    }
    assertThat(stub.pings() - before).isEqualTo(3);
  }

  @Test
  void anUnreachableCloudinaryFailsEveryCallWithAnUncheckedIoException() throws Exception {
    String here = "127.0.0.1:" + JarProcess.freePort();
    String nowhere =
        "cloudinary://"
            + CloudinaryStub.API_KEY
            + ":"
            + CloudinaryStub.API_SECRET
            + "@"
            + CloudinaryStub.CLOUD
            + "?upload_prefix=http://"
            + here
            + "&secure=false&cname="
            + here;
    try (CloudinaryImageStore unreachable = store(nowhere, folder)) {
      StorageKey key = StorageKey.forImage(UUID.randomUUID(), 1);

      assertThatThrownBy(() -> unreachable.put(key, bytesOf(1)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not store " + folder + "/" + key.requestId() + "/1");
      assertThatThrownBy(() -> unreachable.get(key))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not read");
      assertThatThrownBy(unreachable::checkHealth)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot be reached");
    }
  }

  @Test
  void deletingARequestFollowsCloudinarysPartialAnswersUntilNoneIsLeft() {
    UUID request = UUID.randomUUID();
    for (int i = 1; i <= 7; i++) {
      store.put(StorageKey.forImage(request, i), bytesOf(i));
    }
    store.put(StorageKey.forImage(UUID.randomUUID(), 1), bytesOf(1));
    stub.deletePageSize(3);
    int before = stub.deletes();
    try {
      assertThat(store.deleteRequest(request)).isEqualTo(7);
    } finally {
      stub.deletePageSize(1000);
    }
    assertThat(stub.deletes() - before).as("3 + 3 + 1 assets").isEqualTo(3);
    assertThat(objects()).hasSize(1).noneMatch(id -> id.contains(request.toString()));
  }

  @Test
  void aWrongSecretCannotDelete() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 2);
    store.put(key, bytesOf(2));
    try (CloudinaryImageStore refused =
        store(stub.cloudinaryUrl(CloudinaryStub.API_KEY, "not-the-secret", ""), folder)) {
      assertThatThrownBy(() -> refused.deleteRequest(key.requestId()))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(
              "could not delete the assets under " + folder + "/" + key.requestId())
          .hasMessageNotContaining("not-the-secret");
      assertThatThrownBy(() -> refused.delete(key)).isInstanceOf(UncheckedIOException.class);
    }
    assertThat(store.get(key)).isPresent();
  }
}
