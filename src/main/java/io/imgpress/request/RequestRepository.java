package io.imgpress.request;

import io.imgpress.request.NewRequest.NewProduct;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores requests with their products and images.
 *
 * <p>Contract: a request is created in two steps. {@link #stage} stores the request row and its
 * validated rows, so an upload can be answered at once however large it is; {@link #expand} then
 * turns the staged rows into products and images in one step and returns the image ids in input
 * order (product by product). {@link #products} returns products and their images in input order,
 * empty while the request is only staged; {@link #staged} returns the rows of a staged request not
 * yet expanded. A staged request that cannot be expanded ends with {@link #failStaged}. Each method
 * is atomic.
 */
public interface RequestRepository {

  void stage(NewRequest request);

  /** The staged rows of a request not yet expanded; empty once expanded or if unknown. */
  Optional<List<NewProduct>> staged(UUID id);

  /** Expands a staged request; empty if it was already expanded (a repeated job) or unknown. */
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

  /** Newest first. */
  List<Request> recent(int offset, int limit);
}
