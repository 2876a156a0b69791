package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.PublicUrls;
import io.imgpress.intake.InvalidUploadException;
import io.imgpress.intake.OutputFields;
import io.imgpress.intake.UploadService;
import io.imgpress.request.NewRequest;
import io.imgpress.request.RequestStatus;
import io.imgpress.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/** {@code POST /upload}: validates the CSV and answers 202 with the new request's id at once. */
@ConditionalOnApiRole
@RestController
@Tag(name = OpenApiConfiguration.Tags.UPLOADS)
class UploadController {

  /** The form's fields besides the file, each taken once. */
  static final List<String> TEXT_FIELDS =
      List.of("webhookUrl", "quality", "format", "maxWidth", "maxHeight");

  private final UploadService uploads;
  private final PublicUrls urls;
  private final UploadMetrics metrics;

  UploadController(UploadService uploads, PublicUrls urls, UploadMetrics metrics) {
    this.uploads = uploads;
    this.urls = urls;
    this.metrics = metrics;
  }

  @Operation(
      operationId = "upload",
      summary = "Submit a CSV of product image URLs",
      description =
          "Checks the whole CSV first: a CSV with any problem is refused with every problem"
              + " listed, and nothing of it is stored. An accepted request, its rows and the job"
              + " that expands them into images are stored durably before the answer, which comes"
              + " at once; the images are then queued and processed in the background.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                      schema = @Schema(implementation = UploadForm.class))))
  @ApiResponse(
      responseCode = "202",
      description = "Accepted: the request is stored and its images will be processed",
      headers =
          @Header(
              name = "Location",
              description = "The request's status, relative",
              schema = @Schema(type = "string", example = "/status/" + ApiExamples.REQUEST_ID)),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = UploadResponse.class)))
  @ApiResponse(
      responseCode = "400",
      description =
          "The CSV is invalid (invalid-csv, with every error); a form field is invalid or given"
              + " twice, the format is one this service's codec engine does not write, or there"
              + " are two file parts (invalid-upload, naming the field); the"
              + " multipart body has no boundary, is malformed or ends early (invalid-multipart);"
              + " it has more than 50 parts (too-many-parts); the query or form parameters"
              + " cannot be read (invalid-parameters); or the file part is missing"
              + " (about:blank)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples = {
                @ExampleObject(name = "invalid-csv", value = ApiExamples.INVALID_CSV),
                @ExampleObject(name = "invalid-upload", value = ApiExamples.INVALID_UPLOAD),
                @ExampleObject(name = "format-not-written", value = ApiExamples.FORMAT_NOT_WRITTEN),
                @ExampleObject(name = "invalid-multipart", value = ApiExamples.INVALID_MULTIPART),
                @ExampleObject(name = "too-many-parts", value = ApiExamples.TOO_MANY_PARTS),
                @ExampleObject(name = "missing-file", value = ApiExamples.MISSING_FILE)
              }))
  @ApiResponse(
      responseCode = "403",
      description =
          "A browser sent the upload for a page on another origin (origin-not-allowed): the"
              + " Origin header is neither this service's own origin nor one of"
              + " imgpress.security.cors.allowed-origins. Clients that send no Origin (curl,"
              + " scripts, servers) are not affected",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples =
                  @ExampleObject(
                      name = "origin-not-allowed",
                      value = ApiExamples.ORIGIN_NOT_ALLOWED)))
  @ApiResponse(
      responseCode = "413",
      description =
          "The CSV is over the size or row limit (invalid-csv), or the request body over the"
              + " multipart limit of 64 MB (about:blank)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples = @ExampleObject(name = "too-large", value = ApiExamples.CSV_TOO_LARGE)))
  @ApiResponse(
      responseCode = "429",
      description =
          "The key's owner is at a limit of imgpress.security.limits (limit-reached, naming it):"
              + " as many unfinished requests as allowed (max-unfinished-requests), or this"
              + " upload's images would pass the images of one hour (images-per-hour); try again"
              + " after Retry-After seconds. Only with API keys configured",
      headers =
          @Header(
              name = "Retry-After",
              description =
                  "Seconds to wait: for images-per-hour, until enough of the last hour's images"
                      + " leave the window; for max-unfinished-requests, a short fixed wait",
              schema = @Schema(type = "integer", example = "1200")),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples = @ExampleObject(name = "limit-reached", value = ApiExamples.LIMIT_REACHED)))
  @ApiResponse(
      responseCode = "503",
      description =
          "More jobs are waiting than imgpress.intake.max-backlog (backlog-full): the upload is not"
              + " taken; try again after Retry-After seconds",
      headers =
          @Header(
              name = "Retry-After",
              description = "Seconds to wait before uploading again",
              schema = @Schema(type = "integer", example = "30")),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples = @ExampleObject(name = "backlog-full", value = ApiExamples.BACKLOG_FULL)))
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  ResponseEntity<UploadResponse> upload(
      @Parameter(hidden = true) @RequestPart("file") MultipartFile file,
      @Parameter(hidden = true) @RequestParam(name = "webhookUrl", required = false)
          String webhookUrl,
      @Parameter(hidden = true) @RequestParam(name = "quality", required = false) String quality,
      @Parameter(hidden = true) @RequestParam(name = "format", required = false) String format,
      @Parameter(hidden = true) @RequestParam(name = "maxWidth", required = false) String maxWidth,
      @Parameter(hidden = true) @RequestParam(name = "maxHeight", required = false)
          String maxHeight,
      @Parameter(hidden = true) MultipartHttpServletRequest multipart,
      @Parameter(hidden = true) Caller caller)
      throws IOException {
    NewRequest request;
    try {
      requireOnce(multipart);
      request =
          submit(caller, file, webhookUrl, new OutputFields(quality, format, maxWidth, maxHeight));
    } catch (RuntimeException e) {
      metrics.failed(e);
      throw e;
    }
    metrics.accepted();
    return ResponseEntity.accepted()
        .location(URI.create("/status/" + request.id()))
        .body(
            new UploadResponse(
                request.id(),
                RequestStatus.PENDING,
                request.totalImages(),
                urls.statusUrl(request.id()),
                urls.csvUrl(request.id())));
  }

  /**
   * Refuses a field given twice. Spring would take the first file and drop the other, and join two
   * values of a text field with a comma, which can even make a valid URL of two webhook URLs.
   */
  private static void requireOnce(MultipartHttpServletRequest multipart) {
    int files = multipart.getFiles("file").size();
    if (files > 1) {
      throw new InvalidUploadException(
          "file", "send one CSV in one part named file; this upload has " + files);
    }
    for (String field : TEXT_FIELDS) {
      String[] values = multipart.getParameterValues(field);
      if (values != null && values.length > 1) {
        throw new InvalidUploadException(
            field, field + " is given " + values.length + " times; give it once");
      }
    }
  }

  private NewRequest submit(
      Caller caller, MultipartFile file, String webhookUrl, OutputFields output)
      throws IOException {
    if (file.isEmpty()) {
      throw new InvalidUploadException("file", "the uploaded CSV is empty");
    }
    try (InputStream in = file.getInputStream()) {
      return uploads.submit(caller.owner(), in, webhookUrl, output);
    }
  }
}
