package io.imgpress.request;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores requests with their products and images.
 *
 * <p>Contract: a request is created in two steps. {@link #stage} stores the request row and its
 * validated rows, so an upload can be answered at once however large it is, and reserves the ids of
 * its images: a block of consecutive ids, in input order (product by product), that no other
 * request ever gets. {@link #expand} then turns the staged rows into products and images in one
 * step, giving each image its reserved id, and returns those ids in input order. An image's id is
 * therefore the same before and after expansion. {@link #products} returns products and their
 * images in input order, empty while the request is only staged; {@link #staged} returns the rows
 * of a staged request not yet expanded, with the first of its ids. A staged request that cannot be
 * expanded ends with {@link #failStaged}. Each method is atomic.
 *
 * <p>Deletion: {@link #delete} removes a request with everything it owns and, in the same step,
 * records a {@link PendingDeletion}, because its stored images are named by nothing but the request
 * id once its rows are gone. A store without transactions writes that record first and the removals
 * after it, so a deletion cut short is always recorded, and repeating {@link #delete} finishes it.
 * The caller removes the images, then moves the record's due time ({@link #deletionDueAt}) or
 * {@link #forgetDeletion forgets} it.
 */
public interface RequestRepository {

  void stage(NewRequest request);

  /** The staged rows of a request not yet expanded; empty once expanded or if unknown. */
  Optional<StagedUpload> staged(UUID id);

  /**
   * Expands a staged request and returns its image ids in input order; empty if it was already
   * expanded (a repeated job) or unknown.
   */
  Optional<List<Long>> expand(UUID id);

  /**
   * Ends a staged request whose rows cannot be expanded: it becomes {@link RequestStatus#FAILED}
   * with every image counted as failed and {@code reason} (shortened to fit) as its {@link
   * Request#error}. Its staged rows stay, for display, and are never expanded. False, changing
   * nothing, when the request is unknown, already expanded or final.
   */
  boolean failStaged(UUID id, String reason);

  Optional<Request> find(UUID id);

  List<Product> products(UUID id);

  /**
   * The products at positions {@code offset} to {@code offset + limit - 1} (from 0, in input order)
   * with their images; empty while the request is only staged.
   */
  List<Product> products(UUID id, int offset, int limit);

  /** How many products the request has once expanded; 0 while staged or if unknown. */
  int productCount(UUID id);

  /**
   * The images whose last change has a change number in {@code (after, upTo]}, in input order. With
   * {@code upTo} the request's {@link Request#changeNumber()} read before, and {@code after} the
   * number a reader had seen, this is every image that changed in between, in its current state; an
   * image that changed again since appears in the next range instead.
   */
  List<Product.Image> imagesChanged(UUID id, long after, long upTo);

  /** Every request, newest first. */
  List<Request> recent(int offset, int limit);

  /**
   * Removes the request, its staged rows, products, images, the outbox entries of its jobs that
   * were not relayed yet, and its webhook log (kept on the request), and records a {@link
   * PendingDeletion} due at {@code dueAt}. Afterwards {@link #find} is empty and every other read
   * answers as for an unknown request; image transitions of its images change nothing (their
   * outcome has neither request nor status), and its jobs still queued find nothing to do.
   *
   * @return true when the request existed; false when it did not (a pending deletion of it, left by
   *     a store without transactions, is then finished: what is left of its rows goes)
   */
  boolean delete(UUID id, Instant dueAt);

  /**
   * Up to {@code limit} final requests ({@code completed} or {@code failed}) whose last change was
   * before {@code cutoff}, the oldest change first. A caller that deletes them and asks again gets
   * the next page.
   */
  List<UUID> finishedBefore(Instant cutoff, int limit);

  /** Up to {@code limit} pending deletions due at {@code now}, the earliest due first. */
  List<PendingDeletion> deletionsDue(Instant now, int limit);

  /** The pending deletion of a request; empty when none is recorded. */
  Optional<PendingDeletion> deletion(UUID id);

  /** Sets when a pending deletion is due next; nothing happens when none is recorded. */
  void deletionDueAt(UUID id, Instant dueAt);

  /** Forgets a pending deletion whose images are gone for good; nothing happens when none is. */
  void forgetDeletion(UUID id);

  /** The requests of one owner (never null), newest first. */
  List<Request> recent(String owner, int offset, int limit);

  /** How many requests of one owner (never null) are not final: pending or processing. */
  int unfinished(String owner);

  /**
   * The images of the requests of one owner (never null) created at or after {@code since}, final
   * or not: what the owner uploaded in that time.
   */
  long imagesSince(String owner, Instant since);
}
