package io.imgpress.storage.local;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.ImageStoreContract;
import java.nio.file.Path;
import java.util.Set;
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
    return LocalImageStoreTest.filesUnder(root);
  }
}
