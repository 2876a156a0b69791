package io.imgpress.web;

import io.imgpress.request.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open event stream: the request row its client last saw and when it last heard from us. Only
 * one poll of a stream runs at a time (the next is scheduled when the last ends), so the mutable
 * fields need no lock; {@code closed} is also set from container threads.
 */
final class StatusStream {

  static final String EVENT = "status";

  private final UUID requestId;
  private final SseEmitter emitter;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Request lastSent;
  private long lastWriteNanos = System.nanoTime();

  StatusStream(UUID requestId, SseEmitter emitter) {
    this.requestId = requestId;
    this.emitter = emitter;
  }

  UUID requestId() {
    return requestId;
  }

  SseEmitter emitter() {
    return emitter;
  }

  /** Whether {@code now} differs from what the client was last sent, webhook included. */
  boolean changed(Request now) {
    return !now.equals(lastSent);
  }

  void sendStatus(Request request, StatusResponse status) throws IOException {
    emitter.send(SseEmitter.event().name(EVENT).data(status, MediaType.APPLICATION_JSON));
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
