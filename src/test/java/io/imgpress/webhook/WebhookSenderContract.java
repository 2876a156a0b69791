package io.imgpress.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.imgpress.support.ChaosReceiver;
import io.imgpress.support.LoopbackServer;
import io.imgpress.webhook.WebhookSender.Delivery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WebhookSender} adapter must do; each adapter's test extends this. Receivers are
 * on loopback: well-behaved ones on {@link LoopbackServer}, tarpits on {@link ChaosReceiver}.
 */
public abstract class WebhookSenderContract {

  /** The whole-delivery deadline the senders under test are built with. */
  protected static final Duration DEADLINE = Duration.ofSeconds(2);

  /**
   * Room for a loaded machine between the deadline and the test's own limit; a sender that ignores
   * the deadline runs on for ever against these receivers, far past it.
   */
  private static final Duration SLACK = Duration.ofSeconds(5);

  /** A sender with {@link #DEADLINE} as its deadline that may reach loopback receivers. */
  protected abstract WebhookSender sender();

  /** A sender with {@link #DEADLINE} that refuses loopback and private addresses. */
  protected abstract WebhookSender guardedSender();

  private static final byte[] BODY =
      "{\"event\":\"request.completed\"}".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> HEADERS =
      Map.of("X-Imgpress-Event", "request.completed", "X-Imgpress-Signature", "v1=abc");

  private Delivery sendWithinDeadline(WebhookSender sender, URI url) {
    return assertTimeoutPreemptively(
        DEADLINE.plus(SLACK),
        () -> sender.send(url, BODY, HEADERS),
        "delivery outlived its deadline");
  }

  @Test
  void postsTheBodyAsJsonWithTheHeadersAndA2xxIsDelivered() {
    Map<String, String> seen = new ConcurrentHashMap<>();
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on(
                "/hook",
                ex -> {
                  seen.put("method", ex.getRequestMethod());
                  seen.put("type", ex.getRequestHeaders().getFirst("Content-Type"));
                  seen.put("event", ex.getRequestHeaders().getFirst("X-Imgpress-Event"));
                  seen.put("signature", ex.getRequestHeaders().getFirst("X-Imgpress-Signature"));
                  seen.put(
                      "body",
                      new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                  LoopbackServer.respond(ex, 202, "text/plain", "thanks".getBytes());
                })) {
      Delivery delivery = sendWithinDeadline(sender(), receiver.uri("/hook"));

      assertThat(delivery).isEqualTo(Delivery.ok());
      assertThat(seen)
          .containsEntry("method", "POST")
          .containsEntry("event", "request.completed")
          .containsEntry("signature", "v1=abc")
          .containsEntry("body", new String(BODY, StandardCharsets.UTF_8));
      assertThat(seen.get("type")).startsWith("application/json");
    }
  }

  @Test
  void aNon2xxAnswerFailsWithItsStatus() {
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on("/hook", ex -> LoopbackServer.respond(ex, 503, "text/plain", "busy".getBytes()))) {
      Delivery delivery = sendWithinDeadline(sender(), receiver.uri("/hook"));
      assertThat(delivery.delivered()).isFalse();
      assertShortReason(delivery).contains("503");
    }
  }

  @Test
  void theWholeOf2xxIsDeliveredAndNothingAboveIt() {
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on("/200", ex -> LoopbackServer.respond(ex, 200, "text/plain", "ok".getBytes()))
            .on("/299", ex -> LoopbackServer.respond(ex, 299, "text/plain", "ok".getBytes()))
            .on("/300", ex -> LoopbackServer.respond(ex, 300, "text/plain", "x".getBytes()))) {
      assertThat(sendWithinDeadline(sender(), receiver.uri("/200"))).isEqualTo(Delivery.ok());
      assertThat(sendWithinDeadline(sender(), receiver.uri("/299"))).isEqualTo(Delivery.ok());
      Delivery delivery = sendWithinDeadline(sender(), receiver.uri("/300"));
      assertThat(delivery.delivered()).isFalse();
      assertShortReason(delivery).contains("300");
    }
  }

  @Test
  void aRedirectIsNotFollowed() {
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on(
                "/hook",
                ex -> {
                  ex.getResponseHeaders().set("Location", "/elsewhere");
                  ex.sendResponseHeaders(307, -1);
                })
            .on("/elsewhere", ex -> LoopbackServer.respond(ex, 204, "text/plain", new byte[0]))) {
      Delivery delivery = sendWithinDeadline(sender(), receiver.uri("/hook"));
      assertThat(delivery.delivered()).isFalse();
      assertShortReason(delivery).contains("307");
      assertThat(receiver.requests()).isEqualTo(1);
    }
  }

  @Test
  void aClosedPortFails() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    Delivery delivery = sendWithinDeadline(sender(), URI.create("http://127.0.0.1:" + port + "/x"));
    assertThat(delivery.delivered()).isFalse();
    assertShortReason(delivery);
  }

  @Test
  void aForbiddenAddressFailsWithoutAConnection() {
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on("/hook", ex -> LoopbackServer.respond(ex, 204, "text/plain", new byte[0]))) {
      Delivery delivery = sendWithinDeadline(guardedSender(), receiver.uri("/hook"));
      assertThat(delivery.delivered()).isFalse();
      assertShortReason(delivery).contains("not allowed").contains("loopback");
      assertThat(receiver.requests()).isZero();
    }
  }

  @Test
  void aUrlItCannotSendToFailsInsteadOfThrowing() {
    Delivery delivery = sendWithinDeadline(sender(), URI.create("ftp://127.0.0.1/hook"));
    assertThat(delivery.delivered()).isFalse();
    assertShortReason(delivery);
  }

  @Test
  void aReceiverThatNeverAnswersFailsWithinTheDeadline() {
    failsWithinTheDeadline(ChaosReceiver::silent);
  }

  @Test
  void aReceiverThatDripsItsHeadersFailsWithinTheDeadline() {
    failsWithinTheDeadline(() -> ChaosReceiver.drippingHeaders(Duration.ofMillis(100)));
  }

  @Test
  void aReceiverThatAnswers200AndDripsTheBodyIsDeliveredWithoutWaitingForIt() {
    // The tarpit of issue 9 (a byte every 2 s against a 10 s timeout), scaled to DEADLINE: each
    // byte comes well within a per-read timeout, the body never ends.
    try (ChaosReceiver receiver = ChaosReceiver.drippingBody(Duration.ofMillis(200))) {
      assertThat(sendWithinDeadline(sender(), receiver.uri("/hook"))).isEqualTo(Delivery.ok());
    }
  }

  @Test
  void anEndlessBodyIsNeverRead() {
    try (ChaosReceiver ok = ChaosReceiver.endlessBody(200);
        ChaosReceiver failing = ChaosReceiver.endlessBody(500)) {
      assertThat(sendWithinDeadline(sender(), ok.uri("/hook"))).isEqualTo(Delivery.ok());
      Delivery delivery = sendWithinDeadline(sender(), failing.uri("/hook"));
      assertThat(delivery.delivered()).isFalse();
      assertShortReason(delivery).contains("500");
    }
  }

  private void failsWithinTheDeadline(Supplier<ChaosReceiver> tarpit) {
    try (ChaosReceiver receiver = tarpit.get()) {
      Delivery delivery = sendWithinDeadline(sender(), receiver.uri("/hook"));
      assertThat(delivery).isEqualTo(Delivery.failed(WebhookSender.noAnswerWithin(DEADLINE)));
      assertThat(receiver.connections()).isEqualTo(1);
    }
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertShortReason(Delivery delivery) {
    return assertThat(delivery.error()).isNotBlank().hasSizeLessThanOrEqualTo(200);
  }
}
