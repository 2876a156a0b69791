package io.imgpress.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStoreContract;
import io.imgpress.storage.StorageKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
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

  @Test
  void leavesNoTemporaryFilesBehind() throws Exception {
    UUID id = UUID.randomUUID();
    store.put(StorageKey.forImage(id, 3), new byte[] {1, 2, 3});
    try (var files = Files.list(root.resolve(id.toString()))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("3.jpg");
    }
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
