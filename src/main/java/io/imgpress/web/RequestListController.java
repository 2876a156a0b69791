package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.PublicUrls;
import io.imgpress.request.Request;
import io.imgpress.request.RequestRepository;
import io.imgpress.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /requests?page=&size=}: recent requests for the web page's list. */
@ConditionalOnApiRole
@RestController
@Tag(name = OpenApiConfiguration.Tags.REQUESTS)
class RequestListController {

  private final RequestRepository requests;
  private final PublicUrls urls;

  RequestListController(RequestRepository requests, PublicUrls urls) {
    this.requests = requests;
    this.urls = urls;
  }

  @Operation(
      operationId = "recentRequests",
      summary = "Recent requests, newest first",
      description =
          "One page of requests without their products; `hasMore` says whether a next"
              + " page exists.")
  @ApiResponse(
      responseCode = "200",
      description = "One page of requests",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = RequestListResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description = "`page` or `size` is out of range or not a number (invalid-query)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples = @ExampleObject(name = "invalid-query", value = ApiExamples.INVALID_QUERY)))
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @GetMapping(path = "/requests", produces = MediaType.APPLICATION_JSON_VALUE)
  RequestListResponse list(
      @Parameter(description = "Page number, from 0", schema = @Schema(defaultValue = "0"))
          @RequestParam(name = "page", defaultValue = "0")
          String page,
      @Parameter(description = "Requests per page, 1 to 100", schema = @Schema(defaultValue = "20"))
          @RequestParam(name = "size", defaultValue = "20")
          String size,
      @Parameter(hidden = true) Caller caller) {
    Paging paging = Paging.parse(page, size);
    // One row more than asked tells whether a next page exists without counting the table.
    List<Request> rows =
        caller.owner() == null
            ? requests.recent(paging.offset(), paging.size() + 1)
            : requests.recent(caller.owner(), paging.offset(), paging.size() + 1);
    boolean hasMore = rows.size() > paging.size();
    List<RequestListResponse.Item> items =
        rows.stream().limit(paging.size()).map(r -> RequestListResponse.Item.of(r, urls)).toList();
    return new RequestListResponse(items, paging.page(), paging.size(), hasMore);
  }
}
