package io.imgpress.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /status/{id}/events}: the status as server-sent events until the request is final. */
@RestController
@Tag(name = OpenApiConfiguration.Tags.REQUESTS)
class StatusEventsController {

  private final StatusStreams streams;

  StatusEventsController(StatusStreams streams) {
    this.streams = streams;
  }

  @Operation(
      operationId = "statusEvents",
      summary = "Progress of a request as server-sent events",
      description =
          "An event `status` carrying the `GET /status/{requestId}` document at once and after"
              + " every change, a `:keep-alive` comment after 15 s of silence, and the stream"
              + " ends after the event that shows the request final.")
  @ApiResponse(
      responseCode = "200",
      description = "The event stream",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(type = "string"),
              examples = @ExampleObject(name = "status", value = ApiExamples.STATUS_EVENT)))
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND_REF)
  @ApiResponse(
      responseCode = "503",
      description =
          "Too many streams are open (too-many-streams); poll `GET /status/{requestId}`, or retry"
              + " after the `Retry-After` seconds",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples =
                  @ExampleObject(name = "too-many-streams", value = ApiExamples.TOO_MANY_STREAMS)))
  @ApiResponse(responseCode = "500", ref = OpenApiConfiguration.INTERNAL_ERROR_REF)
  @GetMapping(path = "/status/{requestId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(@RequestIdParameter @PathVariable String requestId) {
    return streams.open(RequestIds.parse(requestId));
  }
}
