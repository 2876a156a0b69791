package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import org.springframework.stereotype.Component;

/**
 * Builds the status document of a request, for {@code GET /status/{id}} and its event stream alike:
 * from its images once expanded, from its staged rows before.
 */
@Component
class StatusDocuments {

  private final RequestRepository requests;
  private final PublicUrls urls;

  StatusDocuments(RequestRepository requests, PublicUrls urls) {
    this.requests = requests;
    this.urls = urls;
  }

  StatusResponse of(Request request) {
    var products = requests.products(request.id());
    if (products.isEmpty()) {
      var staged = requests.staged(request.id());
      if (staged.isPresent()) {
        return StatusResponse.staged(request, staged.get());
      }
      products = requests.products(request.id()); // expanded between the two reads
    }
    return StatusResponse.of(request, products, urls);
  }
}
