package io.imgpress.web;

import io.imgpress.PublicUrls;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /requests?page=&size=}: recent requests for the web page's list. */
@RestController
class RequestListController {

  private final RequestRepository requests;
  private final PublicUrls urls;

  RequestListController(RequestRepository requests, PublicUrls urls) {
    this.requests = requests;
    this.urls = urls;
  }

  @GetMapping(path = "/requests", produces = MediaType.APPLICATION_JSON_VALUE)
  RequestListResponse list(
      @RequestParam(name = "page", defaultValue = "0") String page,
      @RequestParam(name = "size", defaultValue = "20") String size) {
    Paging paging = Paging.parse(page, size);
    // One row more than asked tells whether a next page exists without counting the table.
    List<Request> rows = requests.recent(paging.offset(), paging.size() + 1);
    boolean hasMore = rows.size() > paging.size();
    List<RequestListResponse.Item> items =
        rows.stream().limit(paging.size()).map(r -> RequestListResponse.Item.of(r, urls)).toList();
    return new RequestListResponse(items, paging.page(), paging.size(), hasMore);
  }
}
