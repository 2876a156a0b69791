package io.imgpress.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.OutputFormat;
import io.imgpress.storage.ImageStore.StoredImage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link ImageStore} adapter must do; each adapter's test extends this. */
public abstract class ImageStoreContract {

  protected abstract ImageStore store();

  /** Size and creation, which every adapter reports; the URL only some do. */
  private static ImageStore.Stored plain(ImageStore.Stored stored) {
    return new ImageStore.Stored(stored.size(), stored.created());
  }

  private static List<ImageStore.Stored> plain(List<ImageStore.Stored> stored) {
    return stored.stream().map(ImageStoreContract::plain).toList();
  }

  /**
   * Every object the store holds, read from its backing (files, bucket listing) rather than through
   * the port, which has no listing: how the contract sees what {@link ImageStore#checkHealth} left.
   */
  protected abstract Set<String> objects() throws Exception;

  @Test
  void storedBytesComeBackWithSizeAndEtag() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 42);
    byte[] bytes = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
    store().put(key, bytes);

    StoredImage stored = store().get(key).orElseThrow();
    try (InputStream in = stored.content()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(stored.size()).isEqualTo(bytes.length);
    assertThat(stored.etag()).startsWith("\"").endsWith("\"");
  }

  @Test
  void webpAndAvifOutputsAreStoredUnderTheirOwnKeys() throws Exception {
    UUID requestId = UUID.randomUUID();
    StorageKey webp = StorageKey.forImage(requestId, 31, OutputFormat.WEBP);
    StorageKey avif = StorageKey.forImage(requestId, 32, OutputFormat.AVIF);
    StorageKey preview = StorageKey.forPreview(requestId, 31);

    assertThat(plain(store().put(webp, WEBP))).isEqualTo(new ImageStore.Stored(WEBP.length, true));
    assertThat(plain(store().put(avif, AVIF))).isEqualTo(new ImageStore.Stored(AVIF.length, true));
    store().put(preview, bytesOf(3));

    assertThat(contentOf(webp)).isEqualTo(WEBP);
    assertThat(contentOf(avif)).isEqualTo(AVIF);
    assertThat(contentOf(preview)).isEqualTo(bytesOf(3));
    assertThat(store().get(StorageKey.forImage(requestId, 31)))
        .as("no .jpg of the image")
        .isEmpty();
    assertThat(store().deleteRequest(requestId)).isEqualTo(3);
  }

  /**
   * The first bytes of a WebP and of an AVIF file: enough for a store that detects formats by their
   * signature (Cloudinary), which none of the stores here decodes.
   */
  protected static final byte[] WEBP = {
    'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 13, 0, 0, 0, 0x2F, 0,
    0, 0, 0, 1, 2, 3, 4
  };

  protected static final byte[] AVIF = {
    0, 0, 0, 28, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0, 'a', 'v', 'i', 'f', 'm', 'i',
    'f', '1', 'm', 'i', 'a', 'f', 5, 6
  };

  @Test
  void unknownKeyIsEmpty() {
    assertThat(store().get(StorageKey.forImage(UUID.randomUUID(), 1))).isEmpty();
  }

  @Test
  void putIsIdempotentAndEtagStable() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 7);
    store().put(key, new byte[] {1, 2});
    String first = etagOf(key);
    store().put(key, new byte[] {1, 2});
    assertThat(etagOf(key)).isEqualTo(first);
  }

  @Test
  void aStoredObjectIsNeverReplaced() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 8);
    assertThat(plain(store().put(key, new byte[] {1, 2, 3})))
        .isEqualTo(new ImageStore.Stored(3, true));
    String etag = etagOf(key);
    assertThat(plain(store().put(key, new byte[] {9, 9, 9, 9, 9})))
        .as("the second writer learns the size of the object that stays")
        .isEqualTo(new ImageStore.Stored(3, false));
    StoredImage stored = store().get(key).orElseThrow();
    try (InputStream in = stored.content()) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
    assertThat(stored.etag()).isEqualTo(etag);
  }

  @Test
  void concurrentWritersOfOneKeyEndWithOneObjectAndAgreeOnItsSize() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 11);
    int writers = 8;
    CyclicBarrier start = new CyclicBarrier(writers);
    List<ImageStore.Stored> results;
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<ImageStore.Stored>> futures = new ArrayList<>();
      for (int w = 1; w <= writers; w++) {
        byte[] bytes = new byte[w * 100];
        Arrays.fill(bytes, (byte) w);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return store().put(key, bytes);
                }));
      }
      results = new ArrayList<>();
      for (Future<ImageStore.Stored> future : futures) {
        results.add(future.get());
      }
    }
    StoredImage stored = store().get(key).orElseThrow();
    byte[] bytes;
    try (InputStream in = stored.content()) {
      bytes = in.readAllBytes();
    }
    assertThat(results).filteredOn(ImageStore.Stored::created).hasSize(1);
    assertThat(results).extracting(ImageStore.Stored::size).containsOnly((long) bytes.length);
    byte writer = bytes[0];
    assertThat(bytes).hasSize(writer * 100).containsOnly(writer);
  }

  @Test
  void keysOfDifferentRequestsDoNotCollide() throws Exception {
    StorageKey a = StorageKey.forImage(UUID.randomUUID(), 1);
    StorageKey b = StorageKey.forImage(UUID.randomUUID(), 1);
    store().put(a, new byte[] {1});
    store().put(b, new byte[] {2, 2});
    assertThat(store().get(a).orElseThrow().size()).isEqualTo(1);
    assertThat(store().get(b).orElseThrow().size()).isEqualTo(2);
  }

  @Test
  void healthyStoreChecksWithoutLeavingAnObject() throws Exception {
    StorageKey kept = StorageKey.forImage(UUID.randomUUID(), 1);
    Set<String> empty = objects();
    store().put(kept, new byte[] {1});
    Set<String> before = objects();
    assertThat(before).as("the listing sees a put").hasSize(empty.size() + 1);

    store().checkHealth();
    store().checkHealth();

    assertThat(objects()).isEqualTo(before);
    assertThat(store().get(kept)).isPresent();
  }

  @Test
  void putAllStoresEveryObjectOfTheCall() throws Exception {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    List<ImageStore.Put> puts = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      puts.add(new ImageStore.Put(StorageKey.forImage(i % 2 == 0 ? first : second, i), bytesOf(i)));
    }

    List<ImageStore.Stored> results = store().putAll(puts);

    assertThat(results)
        .extracting(ImageStore.Stored::size)
        .containsExactlyElementsOf(puts.stream().map(p -> (long) p.bytes().length).toList());
    assertThat(results).allMatch(ImageStore.Stored::created);
    for (ImageStore.Put put : puts) {
      assertThat(contentOf(put.key())).isEqualTo(put.bytes());
    }
  }

  @Test
  void putAllKeepsAnObjectAlreadyThere() throws Exception {
    StorageKey kept = StorageKey.forImage(UUID.randomUUID(), 5);
    StorageKey added = StorageKey.forImage(kept.requestId(), 6);
    store().put(kept, new byte[] {1, 2, 3});
    String etag = etagOf(kept);

    List<ImageStore.Stored> results =
        store()
            .putAll(
                List.of(
                    new ImageStore.Put(kept, bytesOf(9)), new ImageStore.Put(added, bytesOf(4))));

    assertThat(plain(results))
        .containsExactly(new ImageStore.Stored(3, false), new ImageStore.Stored(4, true));
    assertThat(contentOf(kept)).containsExactly(1, 2, 3);
    assertThat(etagOf(kept)).isEqualTo(etag);
    assertThat(contentOf(added)).isEqualTo(bytesOf(4));
  }

  @Test
  void putAllWithOneKeyTwiceEndsWithOneObjectAndAgreesOnItsSize() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 12);
    StorageKey other = StorageKey.forImage(key.requestId(), 13);
    Set<String> before = objects();

    List<ImageStore.Stored> results =
        store()
            .putAll(
                List.of(
                    new ImageStore.Put(key, bytesOf(2)),
                    new ImageStore.Put(other, bytesOf(3)),
                    new ImageStore.Put(key, bytesOf(7))));

    byte[] stored = contentOf(key);
    assertThat(List.of(bytesOf(2), bytesOf(7))).anySatisfy(b -> assertThat(stored).isEqualTo(b));
    assertThat(List.of(results.get(0), results.get(2)))
        .extracting(ImageStore.Stored::size)
        .containsOnly((long) stored.length);
    assertThat(List.of(results.get(0), results.get(2)))
        .filteredOn(ImageStore.Stored::created)
        .hasSize(1);
    assertThat(plain(results.get(1))).isEqualTo(new ImageStore.Stored(3, true));
    assertThat(objects()).hasSize(before.size() + 2);
  }

  @Test
  void putAllOfNothingStoresNothing() throws Exception {
    Set<String> before = objects();

    assertThat(store().putAll(List.of())).isEmpty();

    assertThat(objects()).isEqualTo(before);
  }

  @Test
  void putAllOfOneIsAPut() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 14);

    assertThat(plain(store().putAll(List.of(new ImageStore.Put(key, bytesOf(5))))))
        .containsExactly(new ImageStore.Stored(5, true));
    assertThat(plain(store().putAll(List.of(new ImageStore.Put(key, bytesOf(6))))))
        .containsExactly(new ImageStore.Stored(5, false));
    assertThat(contentOf(key)).isEqualTo(bytesOf(5));
  }

  @Test
  void deleteRemovesTheObjectAndIsIdempotent() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 21);
    StorageKey sibling = StorageKey.forImage(key.requestId(), 22);
    store().put(key, bytesOf(3));
    store().put(sibling, bytesOf(4));

    store().delete(key);
    store().delete(key);
    store().delete(StorageKey.forImage(UUID.randomUUID(), 1));

    assertThat(store().get(key)).isEmpty();
    assertThat(contentOf(sibling)).isEqualTo(bytesOf(4));
  }

  @Test
  void deleteRequestRemovesEveryObjectOfThatRequestOnly() throws Exception {
    UUID deleted = UUID.randomUUID();
    UUID kept = UUID.randomUUID();
    Set<String> before = objects();
    List<ImageStore.Put> puts = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      puts.add(new ImageStore.Put(StorageKey.forImage(deleted, i), bytesOf(i)));
    }
    puts.add(new ImageStore.Put(StorageKey.forImage(kept, 1), bytesOf(9)));
    store().putAll(puts);

    assertThat(store().deleteRequest(deleted)).isEqualTo(5);

    for (int i = 1; i <= 5; i++) {
      assertThat(store().get(StorageKey.forImage(deleted, i))).isEmpty();
    }
    assertThat(contentOf(StorageKey.forImage(kept, 1))).isEqualTo(bytesOf(9));
    assertThat(objects()).hasSize(before.size() + 1).noneMatch(o -> o.contains(deleted.toString()));
    assertThat(store().deleteRequest(deleted)).as("a repeat finds nothing left").isZero();
    assertThat(store().deleteRequest(UUID.randomUUID())).isZero();
  }

  @Test
  void aDeletedKeyCanBeStoredAgain() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 23);
    store().put(key, bytesOf(2));
    store().deleteRequest(key.requestId());

    assertThat(plain(store().put(key, bytesOf(6)))).isEqualTo(new ImageStore.Stored(6, true));
    assertThat(contentOf(key)).isEqualTo(bytesOf(6));
  }

  /** {@code n} bytes that differ from those of every other {@code n}. */
  protected static byte[] bytesOf(int n) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) n);
    return bytes;
  }

  private byte[] contentOf(StorageKey key) throws Exception {
    StoredImage stored = store().get(key).orElseThrow();
    try (InputStream in = stored.content()) {
      byte[] bytes = in.readAllBytes();
      assertThat(stored.size()).isEqualTo(bytes.length);
      return bytes;
    }
  }

  private String etagOf(StorageKey key) throws Exception {
    StoredImage stored = store().get(key).orElseThrow();
    stored.content().close();
    return stored.etag();
  }
}
