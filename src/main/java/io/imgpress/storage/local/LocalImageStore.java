package io.imgpress.storage.local;

import io.imgpress.storage.ImageStore;
import io.imgpress.storage.StorageKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link ImageStore} on the local file system. An object is written to a temporary file, forced to
 * disk, and then hard-linked under its final name: the link fails when the name exists, so a
 * half-written image never appears under its final name and a stored one is never replaced. On a
 * file system without hard links it is moved into place without replacing, which leaves a short
 * window in which two writers of one key could both succeed.
 *
 * <p>{@link #putAll} writes every temporary file of the batch unforced, makes them durable together
 * ({@link BatchDurability}: one {@code syncfs(2)} on Linux), links them, and makes the new names
 * durable together (one journal commit): two flushes per batch instead of two per object. syncfs
 * flushes the whole file system, other writers' dirty pages too, so under heavy unrelated writes a
 * batch can wait longer than its own files need; {@link #put} keeps forcing only its own file and
 * folder, which is also what a batch of one does.
 */
public class LocalImageStore implements ImageStore {

  private static final String UPLOAD_PREFIX = ".upload-";
  private static final String HEALTH_PREFIX = ".health-";
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path root;
  private final BatchDurability durability;

  public LocalImageStore(Path root) {
    this(root, BatchDurability.best());
  }

  LocalImageStore(Path root, BatchDurability durability) {
    this.root = root.toAbsolutePath().normalize();
    this.durability = durability;
  }

  /** How batches are made durable, for the start-up log. */
  BatchDurability durability() {
    return durability;
  }

  @Override
  public Stored put(StorageKey key, byte[] bytes) {
    Path target = pathOf(key);
    Path folder = target.getParent();
    try {
      if (!Files.isDirectory(folder)) {
        Files.createDirectories(folder);
        ForceEach.forceFolder(root);
      }
      if (Files.exists(target)) {
        return existing(target);
      }
      Path temp = Files.createTempFile(folder, UPLOAD_PREFIX, TEMP_SUFFIX);
      try {
        write(temp, bytes, true);
        if (!publish(temp, target)) {
          return existing(target);
        }
        ForceEach.forceFolder(folder);
        return new Stored(bytes.length, true);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not store " + key.publicPath(), e);
    }
  }

  /**
   * Stores the batch with two flushes in all: every new object is written to its temporary file,
   * the files are made durable together, linked under their names, and the names made durable
   * together. A key that appears again in the batch gets the size its first appearance stored.
   */
  @Override
  public List<Stored> putAll(List<Put> puts) {
    if (puts.size() == 1) {
      // One object: its own two fsyncs, rather than a syncfs that flushes everyone's writes.
      Put only = puts.getFirst();
      return List.of(put(only.key(), only.bytes()));
    }
    List<Path> targets = puts.stream().map(p -> pathOf(p.key())).toList();
    Stored[] stored = new Stored[puts.size()];
    Map<Path, Integer> firstIndex = new HashMap<>();
    List<Pending> pending = new ArrayList<>();
    try {
      try {
        boolean newFolder = false;
        for (int i = 0; i < puts.size(); i++) {
          Path target = targets.get(i);
          if (firstIndex.putIfAbsent(target, i) != null) {
            continue;
          }
          Path folder = target.getParent();
          if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            newFolder = true;
          }
          if (Files.exists(target)) {
            stored[i] = existing(target);
            continue;
          }
          Path temp = Files.createTempFile(folder, UPLOAD_PREFIX, TEMP_SUFFIX);
          pending.add(new Pending(i, temp, target));
          write(temp, puts.get(i).bytes(), false);
        }
        if (!pending.isEmpty()) {
          publishAll(pending, stored, newFolder, puts);
        }
      } finally {
        deleteAll(pending);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not store a batch of " + puts.size() + " images", e);
    }
    for (int i = 0; i < stored.length; i++) {
      if (stored[i] == null) {
        stored[i] = new Stored(stored[firstIndex.get(targets.get(i))].size(), false);
      }
    }
    return List.of(stored);
  }

  /** The second half of {@link #putAll}: flush, link, flush. */
  private void publishAll(List<Pending> pending, Stored[] stored, boolean newFolder, List<Put> puts)
      throws IOException {
    durability.data(root, pending.stream().map(Pending::temp).toList());
    Set<Path> changed = new LinkedHashSet<>();
    if (newFolder) {
      changed.add(root);
    }
    for (Pending write : pending) {
      if (publish(write.temp(), write.target())) {
        stored[write.index()] = new Stored(puts.get(write.index()).bytes().length, true);
        changed.add(write.target().getParent());
      } else {
        stored[write.index()] = existing(write.target());
      }
    }
    if (!changed.isEmpty()) {
      durability.names(root, changed);
    }
  }

  /** Best effort: what a failed delete leaves, the start-up cleanup removes. */
  private static void deleteAll(List<Pending> pending) {
    for (Pending write : pending) {
      try {
        Files.deleteIfExists(write.temp());
      } catch (IOException e) {
        // Left for removeStaleTemporaryFiles.
      }
    }
  }

  /** A temporary file of a batch, written, waiting for its final name. */
  private record Pending(int index, Path temp, Path target) {}

  private static void write(Path temp, byte[] bytes, boolean force) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (force) {
        channel.force(true);
      }
    }
  }

  /** Gives the written file its final name unless that exists; false when it did. */
  private static boolean publish(Path temp, Path target) throws IOException {
    try {
      Files.createLink(target, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links here: move without replacing (the check and the rename are two steps).
      try {
        Files.move(temp, target);
        return true;
      } catch (FileAlreadyExistsException exists) {
        return false;
      }
    }
  }

  private static Stored existing(Path target) throws IOException {
    return new Stored(Files.size(target), false);
  }

  @Override
  public Optional<StoredImage> get(StorageKey key) {
    Path path = pathOf(key);
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      String etag =
          "\""
              + Long.toHexString(attributes.size())
              + "-"
              + Long.toHexString(attributes.lastModifiedTime().toMillis())
              + "\"";
      return Optional.of(new StoredImage(Files.newInputStream(path), attributes.size(), etag));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + key.publicPath(), e);
    }
  }

  @Override
  public void delete(StorageKey key) {
    try {
      Files.deleteIfExists(pathOf(key));
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + key.publicPath(), e);
    }
  }

  /**
   * Deletes the request's folder with every file in it (outputs, and temporary files of writers
   * that died). A writer that adds a file meanwhile keeps the folder; its file is removed by the
   * caller that learns the request is gone, or by the next call.
   */
  @Override
  public int deleteRequest(UUID requestId) {
    Path folder = root.resolve(requestId.toString()).normalize();
    if (!folder.startsWith(root) || !Files.isDirectory(folder)) {
      return 0;
    }
    int removed = 0;
    try {
      List<Path> files;
      try (Stream<Path> listed = Files.list(folder)) {
        files = listed.toList();
      }
      for (Path file : files) {
        if (Files.deleteIfExists(file)) {
          removed++;
        }
      }
      Files.deleteIfExists(folder);
    } catch (NoSuchFileException | DirectoryNotEmptyException e) {
      // Gone meanwhile (another deletion), or a writer added a file: see above.
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the images of request " + requestId, e);
    }
    return removed;
  }

  /** Creates and deletes an empty file in the root: that fails on a missing or read-only disk. */
  @Override
  public void checkHealth() {
    try {
      Files.createDirectories(root);
      Files.delete(Files.createTempFile(root, HEALTH_PREFIX, TEMP_SUFFIX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the image folder " + root, e);
    }
  }

  /**
   * Deletes the temporary files that writers killed mid-write left behind, once they are older than
   * {@code age} (a live writer's file is younger); for start-up, before any writer runs.
   *
   * @return how many were deleted
   */
  public int removeStaleTemporaryFiles(Duration age) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    Instant before = Instant.now().minus(age);
    List<Path> stale;
    try (Stream<Path> files = Files.walk(root, 2)) {
      stale = files.filter(p -> isTemporary(p) && isOlder(p, before)).toList();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("could not list the image folder " + root, e);
    }
    int removed = 0;
    for (Path file : stale) {
      try {
        if (Files.deleteIfExists(file)) {
          removed++;
        }
      } catch (IOException e) {
        // Left for the next start; a stray temporary file harms nothing but disk space.
      }
    }
    return removed;
  }

  private static boolean isTemporary(Path path) {
    String name = path.getFileName().toString();
    return (name.startsWith(UPLOAD_PREFIX) || name.startsWith(HEALTH_PREFIX))
        && name.endsWith(TEMP_SUFFIX)
        && Files.isRegularFile(path);
  }

  private static boolean isOlder(Path path, Instant before) {
    try {
      return Files.getLastModifiedTime(path).toInstant().isBefore(before);
    } catch (IOException e) {
      return false;
    }
  }

  private Path pathOf(StorageKey key) {
    Path path = root.resolve(key.requestId().toString()).resolve(key.file()).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("key outside the store");
    }
    return path;
  }
}
