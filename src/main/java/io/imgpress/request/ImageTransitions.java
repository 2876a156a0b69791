package io.imgpress.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves images through their states and keeps the request's counters and status in step.
 *
 * <p>Contract: every method is atomic; a transition from the wrong state changes nothing and says
 * so, which makes redelivered jobs harmless. Counters change only together with the image row they
 * count, so they never drift. When the last image of a request becomes final, the request becomes
 * {@code COMPLETED} (at least one image succeeded) or {@code FAILED} in the same step.
 *
 * <p>A running image has one owner: the {@code owner} of the {@link #start} that began its current
 * attempt (a worker passes its job's lease handle). {@link #complete}, {@link #fail} and {@link
 * #retry} act only for that owner. A start by another owner takes the image over, which a worker
 * does only once the queue handed it the job again, after the previous holder's lease was lost;
 * from then on the previous holder changes nothing. So the request store fences a worker that lost
 * its job on its own, without relying on a transaction shared with the queue.
 *
 * <p>Every call that changes images also increments the {@link Request#changeNumber()} of each
 * request whose images it changed, once per call, and stamps every image of that request it changed
 * with the new value, in the same step. Images changed by one call ({@link #startAll}, {@link
 * #record}) may therefore share one number; images changed by different calls never do, and an
 * image changed twice keeps only its last number. Changes of one request become visible in the
 * order of their numbers, all images of one number together with the request row that carries it.
 * So a reader that saw change number {@code n} learns everything that changed since from {@link
 * RequestRepository#imagesChanged}.
 */
public interface ImageTransitions {

  /**
   * Makes {@code owner} the owner of a pending image, or of a processing one owned by someone else,
   * marks it processing and counts the attempt; empty if it is final or already this owner's.
   */
  Optional<ImageWork> start(long imageId, String owner);

  /** processing → completed, for its owner only; the output must already be stored. */
  Outcome complete(
      long imageId, String owner, String outputPath, long inputBytes, long outputBytes);

  /** processing → failed for good, for its owner only. */
  Outcome fail(long imageId, String owner, String error);

  /**
   * processing → pending without an owner, to be tried again; keeps the error for display.
   *
   * @return false, changing nothing, unless the image was processing for this owner
   */
  boolean retry(long imageId, String owner, String error);

  /**
   * {@link #start} for many images in one atomic step. Only the first start of an image in the list
   * counts; a later one for the same image starts nothing, whoever its owner.
   *
   * @return the work of the images that were started, in the order asked; the others are left out
   */
  default List<ImageWork> startAll(List<Start> starts) {
    List<ImageWork> started = new ArrayList<>();
    for (Start start : starts) {
      start(start.imageId(), start.owner()).ifPresent(started::add);
    }
    return started;
  }

  /**
   * Applies many changes, each with the meaning of its single-image method, in one atomic step (a
   * group commit); a change whose image is not processing for its owner is not applied and does not
   * hold up the others. Only the first change of an image in the list can apply; a later one for
   * the same image is not applied. A request's counters, status and change number are settled once
   * for all its changes.
   *
   * <p>Each outcome names the image's request and the request's status after the whole call. Of the
   * outcomes of a request that this call finished, exactly one, the last applied one, says {@link
   * Outcome#finishedRequest()}, so a caller that tells {@link RequestFinishedListener}s for each
   * such outcome tells them once per request.
   *
   * @return one outcome per change, in order; for a {@link Retry} or {@link HandBack}, {@code
   *     applied} says whether the image went back to pending
   */
  default List<Outcome> record(List<Change> changes) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Change change : changes) {
      outcomes.add(
          switch (change) {
            case Completion c ->
                complete(c.imageId(), c.owner(), c.outputPath(), c.inputBytes(), c.outputBytes());
            case Failure f -> fail(f.imageId(), f.owner(), f.error());
            case Retry r ->
                new Outcome(
                    retry(r.imageId(), r.owner(), r.error()), null, RequestStatus.PROCESSING);
            case HandBack h ->
                new Outcome(handBack(h.imageId(), h.owner()), null, RequestStatus.PROCESSING);
          });
    }
    return outcomes;
  }

  /**
   * processing → pending without an owner, the attempt not counted: for an image its owner started
   * but set aside before any work on it (its source is asking us to wait, or the worker stops).
   *
   * @return false, changing nothing, unless the image was processing for this owner
   */
  boolean handBack(long imageId, String owner);

  /** An image to start for {@code owner}. */
  record Start(long imageId, String owner) {}

  /** A change {@link #record} applies: the outcome of an attempt at one image. */
  sealed interface Change {
    long imageId();

    String owner();
  }

  /**
   * {@link #complete}, which records neither preview nor quality; {@code previewPath} is where the
   * preview of the image's source is served, null when it has none. Like the output, it must
   * already be stored. {@code outputQuality} is the quality the output was encoded at (the one
   * chosen, for automatic quality); null when the caller does not know it.
   */
  record Completion(
      long imageId,
      String owner,
      String outputPath,
      String previewPath,
      long inputBytes,
      long outputBytes,
      Integer outputQuality)
      implements Change {

    /** A completion whose output quality is not recorded. */
    public Completion(
        long imageId,
        String owner,
        String outputPath,
        String previewPath,
        long inputBytes,
        long outputBytes) {
      this(imageId, owner, outputPath, previewPath, inputBytes, outputBytes, null);
    }

    public Completion(
        long imageId, String owner, String outputPath, long inputBytes, long outputBytes) {
      this(imageId, owner, outputPath, null, inputBytes, outputBytes);
    }
  }

  /** {@link #fail}. */
  record Failure(long imageId, String owner, String error) implements Change {}

  /** {@link #retry}. */
  record Retry(long imageId, String owner, String error) implements Change {}

  /** {@link #handBack}. */
  record HandBack(long imageId, String owner) implements Change {}

  /**
   * What a worker needs to process one image: its request's {@code output} says how to write it.
   */
  record ImageWork(long imageId, UUID requestId, String inputUrl, Output output, int attempt) {

    public ImageWork {
      Objects.requireNonNull(output, "output");
    }

    /** Work on a JPEG of {@code quality} at the source's size. */
    public ImageWork(long imageId, UUID requestId, String inputUrl, int quality, int attempt) {
      this(imageId, requestId, inputUrl, Output.jpeg(quality), attempt);
    }

    /** The quality asked for: 1–100, or {@link Output#AUTO_QUALITY}. */
    public int quality() {
      return output.quality();
    }
  }

  /**
   * Result of a transition: {@code applied} is false when the image was not processing for the
   * caller; {@code requestStatus} is the request's status after it, final when this was its last
   * image; {@code finishedRequest} is true for the one outcome that finished the request (see
   * {@link #record}). An image that does not exist has neither request nor status.
   */
  record Outcome(
      boolean applied, UUID requestId, RequestStatus requestStatus, boolean finishedRequest) {

    /**
     * The outcome of a single transition, which finished its request if it applied and left it
     * final.
     */
    public Outcome(boolean applied, UUID requestId, RequestStatus requestStatus) {
      this(applied, requestId, requestStatus, applied && requestStatus.isFinal());
    }
  }
}
