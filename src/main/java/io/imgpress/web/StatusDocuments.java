package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.PublicUrls;
import io.imgpress.request.Product;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.StagedUpload;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Builds what {@code GET /status/{id}} and its event stream send: the status document (all
 * products, or one page) from its images once expanded, from its staged rows before; and the
 * progress since a change number.
 *
 * <p>The request row is always read first, so the images sent are at least as new as its change
 * number: a client that asks for the changes after it misses nothing.
 */
@ConditionalOnApiRole
@Component
class StatusDocuments {

  private final RequestRepository requests;
  private final PublicUrls urls;

  StatusDocuments(RequestRepository requests, PublicUrls urls) {
    this.requests = requests;
    this.urls = urls;
  }

  /** Every product. */
  StatusResponse of(Request request) {
    List<Product> products = requests.products(request.id());
    if (products.isEmpty()) {
      Optional<StagedUpload> staged = requests.staged(request.id());
      if (staged.isPresent()) {
        return StatusResponse.staged(request, staged.get(), null);
      }
      products = requests.products(request.id()); // expanded between the two reads
    }
    return StatusResponse.of(request, products, products.size(), null, urls);
  }

  /** One page of products. */
  StatusResponse of(Request request, Paging paging) {
    int total = requests.productCount(request.id());
    if (total == 0) {
      Optional<StagedUpload> staged = requests.staged(request.id());
      if (staged.isPresent()) {
        return StatusResponse.staged(request, staged.get(), paging);
      }
      total = requests.productCount(request.id()); // expanded between the two reads
    }
    List<Product> products = requests.products(request.id(), paging.offset(), paging.size());
    return StatusResponse.of(request, products, total, paging, urls);
  }

  /** The counts and the images changed after {@code after}, up to the request's change number. */
  ProgressEvent progress(Request request, long after) {
    return ProgressEvent.of(
        request, requests.imagesChanged(request.id(), after, request.changeNumber()), urls);
  }
}
