package io.imgpress.web;

import io.imgpress.request.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open event stream: the request row its client last saw and when it last heard from us. A
 * stream opened with a change number sends {@code progress} events (the changes after what its
 * client has), one opened without sends the whole document as {@code status} events. Only one poll
 * of a stream runs at a time (the next is scheduled when the last ends), so the mutable fields need
 * no lock; {@code closed} is also set from container threads.
 */
final class StatusStream {

  static final String STATUS = "status";
  static final String PROGRESS = "progress";

  private final UUID requestId;
  private final SseEmitter emitter;
  private final boolean progress;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Request lastSent;
  // progress: the client has every image change up to this number
  private long clientChangeNumber;
  private long lastWriteNanos = System.nanoTime();

  /** {@code since} null: whole documents; else progress after that change number. */
  StatusStream(UUID requestId, SseEmitter emitter, Long since) {
    this.requestId = requestId;
    this.emitter = emitter;
    this.progress = since != null;
    this.clientChangeNumber = since == null ? 0 : since;
  }

  UUID requestId() {
    return requestId;
  }

  SseEmitter emitter() {
    return emitter;
  }

  boolean sendsProgress() {
    return progress;
  }

  long clientChangeNumber() {
    return clientChangeNumber;
  }

  /** Whether {@code now} differs from what the client was last sent, webhook included. */
  boolean changed(Request now) {
    return !now.equals(lastSent);
  }

  void sendStatus(Request request, StatusResponse status) throws IOException {
    emitter.send(SseEmitter.event().name(STATUS).data(status, MediaType.APPLICATION_JSON));
    sent(request);
  }

  /**
   * The event's id is its change number, so a browser's EventSource that reconnects by itself asks
   * for what came after it ({@code Last-Event-ID}).
   */
  void sendProgress(Request request, ProgressEvent event) throws IOException {
    emitter.send(
        SseEmitter.event()
            .id(Long.toString(event.changeNumber()))
            .name(PROGRESS)
            .data(event, MediaType.APPLICATION_JSON));
    clientChangeNumber = event.changeNumber();
    sent(request);
  }

  private void sent(Request request) {
    lastSent = request;
    lastWriteNanos = System.nanoTime();
  }

  /** A comment line after {@code heartbeat} of silence: keeps proxies open, exposes dead peers. */
  void heartbeatIfSilentFor(Duration heartbeat) throws IOException {
    if (System.nanoTime() - lastWriteNanos >= heartbeat.toNanos()) {
      emitter.send(SseEmitter.event().comment("keep-alive"));
      lastWriteNanos = System.nanoTime();
    }
  }

  /** True for the one caller that closes it; later calls are no-ops. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  boolean isClosed() {
    return closed.get();
  }
}
