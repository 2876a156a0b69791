package io.imgpress.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** syncfs is Linux's; elsewhere {@link FileSystemSync#load} is empty and stores force each file. */
@EnabledOnOs(OS.LINUX)
class FileSystemSyncTest {

  @TempDir Path root;

  @Test
  void isWhatThisJvmUsesAndSyncsTheFileSystemOfAFolder() {
    assertThat(BatchDurability.best()).isInstanceOf(FileSystemSync.class);

    assertThat(FileSystemSync.load().orElseThrow().syncFileSystemOf(root)).isTrue();
  }

  @Test
  void aFolderItCannotOpenIsReportedAsNotSynced() {
    assertThat(FileSystemSync.load().orElseThrow().syncFileSystemOf(root.resolve("missing")))
        .isFalse();
  }

  // The fallback is visible through what only it does: open each file, which fails for one that
  // is not there.
  @Test
  void whenSyncfsFailsTheBatchIsForcedFileByFile() throws Exception {
    FileSystemSync sync = FileSystemSync.load().orElseThrow();
    Path missingRoot = root.resolve("missing");
    Path written = Files.write(root.resolve("a"), new byte[] {1});

    assertThatCode(() -> sync.data(missingRoot, List.of(written))).doesNotThrowAnyException();
    List<Path> manyFolders =
        Collections.nCopies(FileSystemSync.MAX_FOLDERS_FORCED + 1, root); // more than it forces
    assertThatCode(() -> sync.names(missingRoot, manyFolders)).doesNotThrowAnyException();
    assertThatThrownBy(() -> sync.data(missingRoot, List.of(root.resolve("gone"))))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void whenSyncfsWorksTheFilesAreNotOpenedOneByOne() throws Exception {
    FileSystemSync sync = FileSystemSync.load().orElseThrow();

    assertThatCode(() -> sync.data(root, List.of(root.resolve("gone")))).doesNotThrowAnyException();
  }
}
