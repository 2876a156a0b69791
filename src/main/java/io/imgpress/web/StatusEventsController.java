package io.imgpress.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /status/{id}/events}: the status as server-sent events until the request is final. */
@RestController
class StatusEventsController {

  private final StatusStreams streams;

  StatusEventsController(StatusStreams streams) {
    this.streams = streams;
  }

  @GetMapping("/status/{requestId}/events")
  SseEmitter events(@PathVariable String requestId) {
    return streams.open(RequestIds.parse(requestId));
  }
}
