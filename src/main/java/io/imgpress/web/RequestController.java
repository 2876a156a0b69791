package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.PublicUrls;
import io.imgpress.intake.ResultCsvWriter;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.Request;
import io.imgpress.request.RequestNotFinalException;
import io.imgpress.request.RequestNotFoundException;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.StagedUpload;
import io.imgpress.retention.RequestDeletion;
import io.imgpress.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** {@code GET /status/{id}}, {@code GET /csv/{id}} and {@code DELETE /requests/{id}}. */
@ConditionalOnApiRole
@RestController
@Tag(name = OpenApiConfiguration.Tags.REQUESTS)
class RequestController {

  static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
  static final int DEFAULT_PRODUCTS_PER_PAGE = 100;
  static final int MAX_PRODUCTS_PER_PAGE = 1000;

  private final RequestRepository requests;
  private final PublicUrls urls;
  private final StatusDocuments documents;
  private final RequestDeletion deletion;

  RequestController(
      RequestRepository requests,
      PublicUrls urls,
      StatusDocuments documents,
      RequestDeletion deletion) {
    this.requests = requests;
    this.urls = urls;
    this.documents = documents;
    this.deletion = deletion;
  }

  @Operation(
      operationId = "status",
      summary = "Progress of a request, image by image",
      description =
          "The request's counters and status, its webhook, its change number, and its products"
              + " with their images in input order: all of them, or with `page` or `size` one"
              + " page of them (the counts are always for the whole request). Progress is"
              + " processedImages / totalImages. Each image keeps its `imageId` from the first"
              + " answer on.")
  @ApiResponse(
      responseCode = "200",
      description = "The request",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = StatusResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description = "`page` or `size` is out of range or not a number (invalid-query)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples =
                  @ExampleObject(name = "invalid-query", value = ApiExamples.INVALID_PRODUCT_PAGE)))
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND_REF)
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @GetMapping(path = "/status/{requestId}", produces = MediaType.APPLICATION_JSON_VALUE)
  StatusResponse status(
      @RequestIdParameter @PathVariable String requestId,
      @Parameter(
              description =
                  "Page of products, from 0; with `page` or `size` the answer holds one page"
                      + " (`size` defaults to 100), without both every product",
              schema = @Schema(type = "integer", format = "int32", minimum = "0"),
              example = "0")
          @RequestParam(name = "page", required = false)
          String page,
      @Parameter(
              description = "Products per page, 1 to " + MAX_PRODUCTS_PER_PAGE,
              schema =
                  @Schema(
                      type = "integer",
                      format = "int32",
                      minimum = "1",
                      maximum = "" + MAX_PRODUCTS_PER_PAGE),
              example = "100")
          @RequestParam(name = "size", required = false)
          String size,
      @Parameter(hidden = true) Caller caller) {
    Request request = find(requestId, caller);
    Paging paging =
        page == null && size == null
            ? null
            : Paging.parse(
                page == null ? "0" : page,
                size == null ? Integer.toString(DEFAULT_PRODUCTS_PER_PAGE) : size,
                MAX_PRODUCTS_PER_PAGE);
    return paging == null ? documents.of(request) : documents.of(request, paging);
  }

  @Operation(
      operationId = "resultCsv",
      summary = "The result CSV of a final request",
      description =
          "The uploaded rows with an Output Image Urls column: output URLs in the same order as"
              + " the inputs, an empty place for each failed image. Sent as an attachment named"
              + " imgpress-{requestId}.csv. Safe to open in a spreadsheet: a cell that could be"
              + " read as a formula (its first character, after any leading blanks, is =, +, -,"
              + " @, tab, CR, LF or NUL) is written with a single quote (') in front, so"
              + " =HYPERLINK(...) comes back as '=HYPERLINK(...).")
  @ApiResponse(
      responseCode = "200",
      description = "The result CSV (RFC 4180, CRLF line ends, UTF-8)",
      content =
          @Content(
              mediaType = "text/csv",
              // A file download (an attachment): described as binary, clients generated from the
              // description save or stream it instead of parsing it as a JSON string.
              schema = @Schema(type = "string", format = "binary"),
              examples = @ExampleObject(name = "result", value = ApiExamples.RESULT_CSV)))
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND_REF)
  @ApiResponse(
      responseCode = "409",
      description = "The request is not final yet (request-not-final, with its counts)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples =
                  @ExampleObject(
                      name = "request-not-final",
                      value = ApiExamples.REQUEST_NOT_FINAL)))
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @GetMapping("/csv/{requestId}")
  ResponseEntity<StreamingResponseBody> csv(
      @RequestIdParameter @PathVariable String requestId, @Parameter(hidden = true) Caller caller) {
    Request request = find(requestId, caller);
    if (!request.status().isFinal()) {
      throw new RequestNotFinalException(request);
    }
    var products = requests.products(request.id());
    // A request that failed before expansion has only its staged rows, none with an output.
    var unexpanded =
        products.isEmpty()
            ? requests.staged(request.id()).map(StagedUpload::products).orElse(List.of())
            : List.<NewProduct>of();
    StreamingResponseBody body =
        out -> {
          Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          if (unexpanded.isEmpty()) {
            ResultCsvWriter.write(products, urls::absolute, writer);
          } else {
            ResultCsvWriter.writeWithoutOutputs(unexpanded, writer);
          }
          writer.flush();
        };
    return ResponseEntity.ok()
        .contentType(TEXT_CSV)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("imgpress-" + request.id() + ".csv")
                .build()
                .toString())
        .body(body);
  }

  @Operation(
      operationId = "deleteRequest",
      summary = "Delete a request and its images",
      description =
          "Deletes the request, finished or not, with its products, images, result CSV and"
              + " webhook: afterwards /status, /csv and its image URLs answer 404. Work still"
              + " queued or in flight for it stops without a trace; a webhook not yet delivered"
              + " is not sent. The stored images are removed before the answer when the storage"
              + " answers, else within imgpress.retention.sweep-interval by a worker. Repeating"
              + " the call answers 404.")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND_REF)
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @DeleteMapping("/requests/{requestId}")
  ResponseEntity<Void> delete(
      @RequestIdParameter @PathVariable String requestId, @Parameter(hidden = true) Caller caller) {
    // The lookup of /status, so a request the caller cannot see is unknown here too.
    Request request = find(requestId, caller);
    if (!deletion.delete(request.id())) {
      // Deleted by another call since the lookup.
      throw new RequestNotFoundException(request.id());
    }
    return ResponseEntity.noContent().build();
  }

  /** Another owner's request answers exactly as an unknown id: its existence is not told. */
  private Request find(String requestId, Caller caller) {
    UUID id = RequestIds.parse(requestId);
    return requests
        .find(id)
        .filter(r -> caller.maySee(r.owner()))
        .orElseThrow(() -> new RequestNotFoundException(id));
  }
}
