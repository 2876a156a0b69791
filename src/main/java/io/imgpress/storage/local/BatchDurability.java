package io.imgpress.storage.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * How {@link LocalImageStore#putAll} makes a batch durable: once for the data of every file written
 * (before any of them gets its final name), then once for the new names. Either step may flush more
 * than it is given, never less.
 */
interface BatchDurability {

  /** Returns once the contents of {@code files}, all under {@code root}, are on disk. */
  void data(Path root, Collection<Path> files) throws IOException;

  /** Returns once the entries just made in {@code folders}, all under or at {@code root}, are. */
  void names(Path root, Collection<Path> folders) throws IOException;

  /**
   * The best this JVM offers, chosen once: {@link FileSystemSync} where it loads, else per file.
   */
  static BatchDurability best() {
    return Best.CHOSEN;
  }

  /** Holds the choice, so the native lookup runs at most once and only when a store needs it. */
  final class Best {
    private static final BatchDurability CHOSEN =
        FileSystemSync.load().<BatchDurability>map(sync -> sync).orElseGet(ForceEach::new);

    private Best() {}
  }
}
