package io.imgpress.storage.local;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durability for a whole batch with one {@code syncfs(2)} (Linux, through java.lang.foreign) for
 * its data: it writes back every dirty page and inode of the file system holding the root and
 * commits its journal, which covers all files of the batch for about the price of one fsync instead
 * of one per file. The new names then need only a journal commit, which an fsync of the first
 * folder does without writing back anyone's data; so a batch touching few folders forces each of
 * them, and only one touching many uses a second syncfs.
 *
 * <p>The trade-off: syncfs flushes the whole file system, other writers' dirty pages too (the
 * database, logs, other processes), so under heavy unrelated writes one call can take much longer
 * than forcing the batch's own files would. The single {@link LocalImageStore#put} therefore keeps
 * forcing just its own file and folder. Where a call fails (a seccomp filter, an old kernel, a
 * writeback error anywhere on the file system) that batch falls back to {@link ForceEach}, which
 * answers for exactly the batch's files.
 */
final class FileSystemSync implements BatchDurability {

  private static final Logger log = LoggerFactory.getLogger(FileSystemSync.class);

  private static final int O_RDONLY = 0; // the same on every Linux architecture

  /**
   * Up to this many folders, names are made durable by forcing each: the first fsync commits the
   * journal with every link of the batch in it, the rest find theirs committed, and none writes
   * back other writers' data pages as a syncfs does. Beyond it, one syncfs beats a flush per
   * folder.
   */
  static final int MAX_FOLDERS_FORCED = 8;

  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private final MethodHandle open;
  private final MethodHandle syncfs;
  private final MethodHandle close;
  private final BatchDurability fallback = new ForceEach();
  private final AtomicBoolean warned = new AtomicBoolean();

  private FileSystemSync(MethodHandle open, MethodHandle syncfs, MethodHandle close) {
    this.open = open;
    this.syncfs = syncfs;
    this.close = close;
  }

  /**
   * Binds libc's {@code open}, {@code syncfs} and {@code close}; empty where that cannot be done
   * (not Linux, a libc without syncfs, native access denied).
   */
  static Optional<FileSystemSync> load() {
    if (!"Linux".equals(System.getProperty("os.name"))) {
      return Optional.empty();
    }
    try {
      Linker linker = Linker.nativeLinker();
      SymbolLookup libc = linker.defaultLookup();
      Linker.Option errno = Linker.Option.captureCallState("errno");
      // open is variadic, but called without its optional mode only the fixed arguments remain.
      MethodHandle open =
          linker.downcallHandle(
              libc.findOrThrow("open"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), errno);
      MethodHandle syncfs =
          linker.downcallHandle(
              libc.findOrThrow("syncfs"), FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
      MethodHandle close =
          linker.downcallHandle(
              libc.findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
      return Optional.of(new FileSystemSync(open, syncfs, close));
    } catch (RuntimeException | LinkageError e) {
      // NoSuchElementException (no symbol), IllegalCallerException (native access denied), ...
      log.debug("syncfs is not available", e);
      return Optional.empty();
    }
  }

  @Override
  public void data(Path root, Collection<Path> files) throws IOException {
    if (!syncFileSystemOf(root)) {
      fallback.data(root, files);
    }
  }

  @Override
  public void names(Path root, Collection<Path> folders) throws IOException {
    if (folders.size() <= MAX_FOLDERS_FORCED || !syncFileSystemOf(root)) {
      fallback.names(root, folders);
    }
  }

  /** One syncfs of the file system holding {@code folder}; false when it could not be done. */
  boolean syncFileSystemOf(Path folder) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      // The JDK names files in UTF-8 on Linux unless run with another sun.jnu.encoding.
      int fd = (int) open.invokeExact(state, arena.allocateFrom(folder.toString()), O_RDONLY);
      if (fd < 0) {
        return failed("open " + folder, state);
      }
      try {
        return (int) syncfs.invokeExact(state, fd) == 0 || failed("syncfs", state);
      } finally {
        int ignored = (int) close.invokeExact(fd);
      }
    } catch (Throwable e) {
      warnOnce("syncfs threw " + e);
      return false;
    }
  }

  private boolean failed(String call, MemorySegment state) {
    warnOnce(call + " failed with errno " + (int) ERRNO.get(state, 0L));
    return false;
  }

  private void warnOnce(String what) {
    if (warned.compareAndSet(false, true)) {
      log.warn(
          "{}: batches that hit this are made durable file by file (slower, still safe);"
              + " further failures are not logged",
          what);
    }
  }

  @Override
  public String toString() {
    return "one syncfs(2) of the file system for the data, an fsync of each folder for the names"
        + " (one syncfs when more than "
        + MAX_FOLDERS_FORCED
        + ")";
  }
}
