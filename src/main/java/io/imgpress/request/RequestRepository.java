package io.imgpress.request;

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
 * of a staged request not yet expanded, with the first of its ids. Each method is atomic.
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

  Optional<Request> find(UUID id);

  List<Product> products(UUID id);

  /** Newest first. */
  List<Request> recent(int offset, int limit);
}
