package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /status/{id}/events?since=}: the status, or its changes, as server-sent events until
 * the request is final.
 */
@ConditionalOnApiRole
@RestController
@Tag(name = OpenApiConfiguration.Tags.REQUESTS)
class StatusEventsController {

  static final String LAST_EVENT_ID = "Last-Event-ID";

  private final StatusStreams streams;

  StatusEventsController(StatusStreams streams) {
    this.streams = streams;
  }

  @Operation(
      operationId = "statusEvents",
      summary = "Progress of a request as server-sent events",
      description =
          """
          One event at once and one after every change (checked every 500 ms), a `:keep-alive` \
          comment after 15 s of silence; the stream ends after the event that shows the request \
          final.

          - With `since` (a `changeNumber` from `GET /status/{requestId}`, or 0): events \
          `progress` (schema `Progress`), each with the request's counts and only the images \
          that changed after the previous event, or after `since` for the first. The event's \
          `id` is its change number, so a browser's EventSource that reconnects by itself \
          resumes where it left off (`Last-Event-ID`, which wins over `since`). Use this for \
          large requests: load the products with `GET /status/{requestId}?page=&size=` and \
          apply the changes to the images you show, the newer `changeNumber` winning.
          - Without: events `status`, each carrying the whole `GET /status/{requestId}` \
          document (schema `Request`), every product included; fine for small requests.""")
  @ApiResponse(
      responseCode = "200",
      description = "The event stream",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(type = "string"),
              examples = {
                @ExampleObject(name = "progress", value = ApiExamples.PROGRESS_EVENT),
                @ExampleObject(name = "status", value = ApiExamples.STATUS_EVENT)
              }))
  @ApiResponse(
      responseCode = "400",
      description = "`since` or `Last-Event-ID` is not a whole number from 0 (invalid-query)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
              schema = @Schema(implementation = ProblemSchema.class),
              examples = @ExampleObject(name = "invalid-query", value = ApiExamples.INVALID_SINCE)))
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
  SseEmitter events(
      @RequestIdParameter @PathVariable String requestId,
      @Parameter(
              description =
                  "Send `progress` events with the changes after this change number (0: every"
                      + " change so far) instead of whole documents",
              schema = @Schema(type = "integer", format = "int64", minimum = "0"),
              example = "5")
          @RequestParam(name = "since", required = false)
          String since,
      @Parameter(
              in = ParameterIn.HEADER,
              description =
                  "Sent by a reconnecting EventSource: the id of the last event it received;"
                      + " wins over `since`",
              schema = @Schema(type = "integer", format = "int64", minimum = "0"),
              example = "9")
          @RequestHeader(name = LAST_EVENT_ID, required = false)
          String lastEventId,
      @Parameter(hidden = true) Caller caller) {
    UUID id = RequestIds.parse(requestId);
    Long after = null;
    if (lastEventId != null && !lastEventId.isBlank()) {
      after = changeNumber(LAST_EVENT_ID, lastEventId);
    } else if (since != null) {
      after = changeNumber("since", since);
    }
    return streams.open(id, after, caller);
  }

  private static long changeNumber(String field, String raw) {
    try {
      long value = Long.parseLong(raw.strip());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidQueryException(field, field + " must be a whole number from 0");
  }
}
