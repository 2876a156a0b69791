package io.imgpress.storage.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForceEachTest {

  @TempDir Path root;

  @Test
  void aFileThatCannotBeForcedFailsTheBatchWithItsOwnError() throws Exception {
    Path written = Files.write(root.resolve("a"), new byte[] {1});

    assertThatThrownBy(
            () -> new ForceEach().data(root, List.of(written, root.resolve("gone"), written)))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("gone");
  }
}
