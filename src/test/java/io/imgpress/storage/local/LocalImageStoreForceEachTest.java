package io.imgpress.storage.local;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the fallback for where syncfs is not available: an fsync of every file. */
class LocalImageStoreForceEachTest extends ImageStoreContract {

  @TempDir Path root;
  LocalImageStore store;

  @BeforeEach
  void create() {
    store = new LocalImageStore(root, new ForceEach());
  }

  @Override
  protected ImageStore store() {
    return store;
  }

  @Override
  protected Set<String> objects() throws Exception {
    try (var paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toSet());
    }
  }
}
