package io.imgpress.request;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores requests with their products and images.
 *
 * <p>Contract: {@link #create} stores the whole request or nothing and returns the image ids in
 * input order (product by product); {@link #products} returns products and their images in input
 * order. Reads never see a half-created request when called outside the creating transaction.
 */
public interface RequestRepository {

  List<Long> create(NewRequest request);

  Optional<Request> find(UUID id);

  List<Product> products(UUID id);

  /** Newest first. */
  List<Request> recent(int offset, int limit);
}
