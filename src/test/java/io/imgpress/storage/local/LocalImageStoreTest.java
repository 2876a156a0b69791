package io.imgpress.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStoreContract;
import io.imgpress.storage.StorageKey;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Every file under the root, hidden ones too (temporary files start with a dot). */
  @Override
  protected Set<String> objects() throws Exception {
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

  // Tests run as root, which ignores permission bits: a file where the folder should be is a
  // failure no user can write through.
  @Test
  void healthCheckFailsWhenTheRootCannotBeAFolder() throws Exception {
    Path file = Files.createFile(root.resolve("not-a-folder"));

    assertThatThrownBy(() -> new LocalImageStore(file).checkHealth())
        .hasMessageContaining("cannot write to the image folder");
  }
}
