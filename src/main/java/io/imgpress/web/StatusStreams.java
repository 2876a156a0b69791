package io.imgpress.web;

import io.imgpress.ConditionalOnApiRole;
import io.imgpress.request.Request;
import io.imgpress.request.RequestNotFoundException;
import io.imgpress.request.RequestRepository;
import io.imgpress.security.Caller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open status event streams. Each stream reads its request row every poll interval and sends an
 * event only when the row changed: the whole status document, or, for a stream opened with a change
 * number, the counts and the images changed since the last event (an index range, however large the
 * request). The last event goes out once the request is final, then the stream completes.
 *
 * <p>Bounded on purpose: at most {@code maxStreams} streams, one shared timer thread, and no thread
 * per connection. The timer only hands each due poll to a short-lived virtual thread, because a
 * client that stops reading blocks its write until the container's write timeout, and that must
 * stall its own stream only. A stream's next poll is scheduled when its last one ends, so polls of
 * one stream never overlap or pile up. A disconnected client is noticed at the next write (an event
 * or the heartbeat), which frees its slot.
 */
@ConditionalOnApiRole
@Component
class StatusStreams implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StatusStreams.class);

  private final RequestRepository requests;
  private final StatusDocuments documents;
  private final StatusEventsProperties properties;
  private final Semaphore slots;
  private final Set<StatusStream> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("imgpress-status-events").daemon().factory());
  private final ExecutorService polls =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("imgpress-status-poll-", 1).factory());
  private volatile boolean running;

  StatusStreams(
      RequestRepository requests, StatusDocuments documents, StatusEventsProperties properties) {
    this.requests = requests;
    this.documents = documents;
    this.properties = properties;
    this.slots = new Semaphore(properties.maxStreams());
  }

  /**
   * Opens a stream whose first event is the current status, or with {@code since} the changes after
   * that change number; unknown ids, and requests the caller may not see, fail before anything is
   * sent, so they still answer 404.
   */
  SseEmitter open(UUID requestId, Long since, Caller caller) {
    Request request =
        requests
            .find(requestId)
            .filter(r -> caller.maySee(r.owner()))
            .orElseThrow(() -> new RequestNotFoundException(requestId));
    if (!running) {
      throw new TooManyStreamsException(
          "the service is stopping; poll /status/%s instead".formatted(requestId));
    }
    if (!slots.tryAcquire()) {
      throw new TooManyStreamsException(
          "no free event stream (at most %d are open at once); poll /status/%s instead"
              .formatted(properties.maxStreams(), requestId));
    }
    SseEmitter emitter = new SseEmitter(properties.maxDuration().toMillis());
    StatusStream stream = new StatusStream(requestId, emitter, since);
    open.add(stream);
    emitter.onCompletion(() -> release(stream));
    emitter.onError(e -> release(stream));
    // Ending at max duration is normal: the client reconnects (or polls) and is told the current
    // status at once.
    emitter.onTimeout(emitter::complete);
    try {
      // Sends before Spring starts the response are buffered by the emitter.
      send(stream, request);
    } catch (IOException e) {
      release(stream);
      throw new UncheckedIOException(e);
    }
    if (request.status().isFinal()) {
      finish(stream);
    } else {
      schedule(stream);
    }
    return emitter;
  }

  /** Streams open now. */
  int openStreams() {
    return open.size();
  }

  private void schedule(StatusStream stream) {
    try {
      timer.schedule(
          () -> polls.execute(() -> poll(stream)),
          properties.pollInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Stopping: stop() completes every open stream.
      release(stream);
    }
  }

  private void poll(StatusStream stream) {
    if (stream.isClosed()) {
      return;
    }
    try {
      Optional<Request> found = requests.find(stream.requestId());
      if (found.isEmpty()) {
        finish(stream);
        return;
      }
      Request request = found.get();
      if (stream.changed(request)) {
        send(stream, request);
      } else {
        stream.heartbeatIfSilentFor(properties.heartbeat());
      }
      if (request.status().isFinal()) {
        finish(stream);
        return;
      }
    } catch (IOException e) {
      // The client went away; the container completes the response, we free the slot now.
      log.debug("Event stream for {} closed by its client: {}", stream.requestId(), e.toString());
      release(stream);
      return;
    } catch (RuntimeException e) {
      if (stream.isClosed()) {
        return; // completed by the container while we were writing
      }
      // A store hiccup: keep the stream and try again at the next poll.
      log.warn("Could not poll request {} for its event stream", stream.requestId(), e);
    }
    schedule(stream);
  }

  private void send(StatusStream stream, Request request) throws IOException {
    if (stream.sendsProgress()) {
      stream.sendProgress(request, documents.progress(request, stream.clientChangeNumber()));
    } else {
      stream.sendStatus(request, documents.of(request));
    }
  }

  private void finish(StatusStream stream) {
    // An emitter completed before Spring picked it up never calls back, so free the slot here.
    release(stream);
    stream.emitter().complete();
  }

  private void release(StatusStream stream) {
    if (stream.markClosed()) {
      open.remove(stream);
      slots.release();
    }
  }

  @Override
  public void start() {
    running = true;
  }

  /** Runs before the web server's graceful shutdown, which would otherwise wait on open streams. */
  @Override
  public void stop() {
    running = false;
    for (StatusStream stream : List.copyOf(open)) {
      finish(stream);
    }
    timer.shutdownNow();
    polls.shutdown();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
