package io.imgpress.storage.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Durability file by file: an fsync of each file (on virtual threads, so the waits overlap where
 * the device allows) and of each folder. Works everywhere; costs one device flush per file.
 */
final class ForceEach implements BatchDurability {

  @Override
  public void data(Path root, Collection<Path> files) throws IOException {
    if (files.size() == 1) {
      forceFile(files.iterator().next());
      return;
    }
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> forced = new ArrayList<>(files.size());
      for (Path file : files) {
        forced.add(
            threads.submit(
                () -> {
                  forceFile(file);
                  return null;
                }));
      }
      for (Future<?> future : forced) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException("could not force a file to disk", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forcing files to disk", e);
    }
  }

  @Override
  public void names(Path root, Collection<Path> folders) {
    folders.forEach(ForceEach::forceFolder);
  }

  static void forceFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Makes a new name in the folder durable; best effort where folders cannot be opened. */
  static void forceFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can sync a folder; the file itself is already on disk.
    }
  }

  @Override
  public String toString() {
    return "an fsync of every file and folder";
  }
}
