package io.imgpress.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.ImgpressProperties;
import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStoreContract;
import io.imgpress.storage.StorageKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalImageStoreTest extends ImageStoreContract {

  @TempDir Path root;
  LocalImageStore store;

  @BeforeEach
  void create() {
    store = new LocalImageStore(root);
  }

  @Override
  protected ImageStore store() {
    return store;
  }

  @Override
  protected Set<String> objects() throws Exception {
    return filesUnder(root);
  }

  /** Every file under the root, hidden ones too (temporary files start with a dot). */
  static Set<String> filesUnder(Path root) throws Exception {
    try (var paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toSet());
    }
  }

  @Test
  void leavesNoTemporaryFilesBehind() throws Exception {
    UUID id = UUID.randomUUID();
    store.put(StorageKey.forImage(id, 3), new byte[] {1, 2, 3});
    try (var files = Files.list(root.resolve(id.toString()))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("3.jpg");
    }
  }

  @Test
  void putAllLeavesNoTemporaryFilesBehind() throws Exception {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    store.put(StorageKey.forImage(first, 1), new byte[] {1});

    store.putAll(
        List.of(
            new ImageStore.Put(StorageKey.forImage(first, 1), new byte[] {9, 9}),
            new ImageStore.Put(StorageKey.forImage(first, 2), new byte[] {2}),
            new ImageStore.Put(StorageKey.forImage(second, 3), new byte[] {3}),
            new ImageStore.Put(StorageKey.forImage(second, 3), new byte[] {3, 3})));

    assertThat(objects())
        .containsExactlyInAnyOrder(first + "/1.jpg", first + "/2.jpg", second + "/3.jpg");
  }

  @Test
  void aBatchThatCannotBeMadeDurableLeavesNoFileAndNoObject() throws Exception {
    UUID id = UUID.randomUUID();
    BatchDurability failing =
        new Recording() {
          @Override
          public void data(Path root, Collection<Path> files) throws IOException {
            throw new IOException("disk gone");
          }
        };
    LocalImageStore store = new LocalImageStore(root, failing);

    assertThatThrownBy(
            () ->
                store.putAll(
                    List.of(
                        new ImageStore.Put(StorageKey.forImage(id, 1), new byte[] {1}),
                        new ImageStore.Put(StorageKey.forImage(id, 2), new byte[] {2}))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("could not store a batch of 2 images")
        .hasRootCauseMessage("disk gone");
    assertThat(objects()).isEmpty();
  }

  @Test
  void aBatchIsMadeDurableOnceForItsDataAndOnceForItsNames() throws Exception {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    store.put(StorageKey.forImage(first, 99), new byte[] {1});
    Recording recording = new Recording();
    LocalImageStore store = new LocalImageStore(root, recording);
    List<ImageStore.Put> puts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      puts.add(new ImageStore.Put(StorageKey.forImage(i < 10 ? first : second, i), new byte[] {1}));
    }
    puts.add(new ImageStore.Put(StorageKey.forImage(first, 99), new byte[] {1}));

    store.putAll(puts);

    assertThat(recording.calls)
        .containsExactly(
            "data of 30 temporary files",
            Set.of(root.resolve(first.toString()), root.resolve(second.toString()), root));
  }

  @Test
  void aBatchWithNothingNewFlushesNothing() throws Exception {
    StorageKey key = StorageKey.forImage(UUID.randomUUID(), 1);
    store.put(key, new byte[] {1});
    Recording recording = new Recording();

    new LocalImageStore(root, recording)
        .putAll(
            List.of(
                new ImageStore.Put(key, new byte[] {2}), new ImageStore.Put(key, new byte[] {3})));

    assertThat(recording.calls).isEmpty();
  }

  @Test
  void theServiceStoreUsesTheBestDurabilityOfThisJvm() {
    assertThat(store.durability()).isSameAs(BatchDurability.best());
  }

  /** Records what it is asked to flush, and forces it, so the store stays correct. */
  static class Recording implements BatchDurability {
    /** A description of each data call, and the folders of each names call. */
    final List<Object> calls = new ArrayList<>();

    private final ForceEach forceEach = new ForceEach();

    @Override
    public void data(Path root, Collection<Path> files) throws IOException {
      assertThat(files)
          .allSatisfy(
              f -> assertThat(f.getFileName().toString()).startsWith(".upload-").endsWith(".tmp"));
      calls.add("data of " + files.size() + " temporary files");
      forceEach.data(root, files);
    }

    @Override
    public void names(Path root, Collection<Path> folders) {
      calls.add(Set.copyOf(folders));
      forceEach.names(root, folders);
    }
  }

  @Test
  void removesTemporaryFilesACrashLeftButNotFreshOnesNorImages() throws Exception {
    UUID id = UUID.randomUUID();
    store.put(StorageKey.forImage(id, 1), new byte[] {1});
    Path folder = root.resolve(id.toString());
    Path stale = Files.createFile(folder.resolve(".upload-123.tmp"));
    Path staleProbe = Files.createFile(root.resolve(".health-456.tmp"));
    Path fresh = Files.createFile(folder.resolve(".upload-789.tmp"));
    FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
    Files.setLastModifiedTime(stale, longAgo);
    Files.setLastModifiedTime(staleProbe, longAgo);
    Files.setLastModifiedTime(folder.resolve("1.jpg"), longAgo);

    assertThat(store.removeStaleTemporaryFiles(Duration.ofMinutes(1))).isEqualTo(2);

    assertThat(stale).doesNotExist();
    assertThat(staleProbe).doesNotExist();
    assertThat(fresh).exists();
    assertThat(folder.resolve("1.jpg")).exists();
  }

  @Test
  void theStoreTheServiceStartsWithHasCleanedUp() throws Exception {
    Path images = root.resolve("images");
    Path folder = Files.createDirectories(images.resolve(UUID.randomUUID().toString()));
    Path stale = Files.createFile(folder.resolve(".upload-1.tmp"));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

    new LocalStorageConfiguration().imageStore(new ImgpressProperties(root, null));

    assertThat(stale).doesNotExist();
  }

  @Test
  void healthCheckLeavesTheRootEmpty() throws Exception {
    store.checkHealth();

    try (var files = Files.list(root)) {
      assertThat(files).isEmpty();
    }
  }

  // Tests run as root, which ignores permission bits: a file where the folder should be is a
  // failure no user can write through.
  @Test
  void healthCheckFailsWhenTheRootCannotBeAFolder() throws Exception {
    Path file = Files.createFile(root.resolve("not-a-folder"));

    assertThatThrownBy(() -> new LocalImageStore(file).checkHealth())
        .hasMessageContaining("cannot write to the image folder");
  }
}
