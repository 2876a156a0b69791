package io.imgpress.webhook.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.net.FetchProperties;
import io.imgpress.support.LoopbackServer;
import io.imgpress.webhook.WebhookProperties;
import io.imgpress.webhook.WebhookSender;
import io.imgpress.webhook.WebhookSender.Delivery;
import io.imgpress.webhook.WebhookSenderContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class HttpWebhookSenderTest extends WebhookSenderContract {

  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  private final List<HttpWebhookSender> senders = new ArrayList<>();

  @Override
  protected WebhookSender sender() {
    return create(true);
  }

  @Override
  protected WebhookSender guardedSender() {
    return create(false);
  }

  @Test
  void reasonsNameTheStatusAndTheKindOfFailure() throws IOException {
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on("/hook", ex -> LoopbackServer.respond(ex, 418, "text/plain", new byte[0]))) {
      assertThat(sender().send(receiver.uri("/hook"), BODY, Map.of()))
          .isEqualTo(Delivery.failed("HTTP 418 from receiver"));
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    assertThat(sender().send(URI.create("http://127.0.0.1:" + port + "/x"), BODY, Map.of()))
        .isEqualTo(Delivery.failed("no answer: HttpHostConnectException"));
  }

  @Test
  void aUrlTheGuardRefusesIsNamedInvalid() {
    Delivery delivery = sender().send(URI.create("ftp://127.0.0.1/hook"), BODY, Map.of());
    assertThat(delivery.error()).startsWith("invalid webhook URL: ");
  }

  @Test
  void anUnknownHostIsNamedWithoutAnAddress() {
    // RFC 6761: names under .invalid never resolve.
    Delivery delivery =
        sender().send(URI.create("http://no-such-receiver.invalid/hook"), BODY, Map.of());
    assertThat(delivery).isEqualTo(Delivery.failed("host not found: no-such-receiver.invalid"));
  }

  @Test
  void aDeniedHostIsNotContactedEvenWithPrivateNetworksAllowed() throws IOException {
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on("/hook", ex -> LoopbackServer.respond(ex, 204, "text/plain", new byte[0]))) {
      WebhookProperties webhook =
          new WebhookProperties(
              null, 10, Duration.ofSeconds(2), Duration.ofMinutes(10), DEADLINE, 2);
      FetchProperties fetch =
          new FetchProperties(
              Duration.ofSeconds(5),
              Duration.ofSeconds(30),
              DataSize.ofMegabytes(25),
              5,
              true,
              32,
              Duration.ofMinutes(2),
              64,
              16,
              "",
              List.of("images.example.com"), // sources only: not applied to receivers
              List.of("127.0.0.1", "*.internal.example"));
      HttpWebhookSender sender = new HttpWebhookSender(webhook, fetch);
      senders.add(sender);

      assertThat(sender.send(receiver.uri("/hook"), BODY, Map.of()))
          .isEqualTo(
              Delivery.failed("host not allowed: 127.0.0.1 (in imgpress.fetch.denied-hosts)"));
      assertThat(sender.send(URI.create("http://a.internal.example/hook"), BODY, Map.of()).error())
          .isEqualTo("host not allowed: a.internal.example (in imgpress.fetch.denied-hosts)");
      assertThat(receiver.requests()).isZero();
      // The allow-list is for sources: a receiver elsewhere is still called.
      assertThat(
              sender.send(
                  URI.create("http://localhost:" + receiver.port() + "/hook"), BODY, Map.of()))
          .isEqualTo(Delivery.ok());
    }
  }

  @Test
  void userInfoInAWebhookUrlIsDroppedNotRefusedAsAnInvalidResponse() throws IOException {
    List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (LoopbackServer receiver =
        new LoopbackServer()
            .on(
                "/hook",
                ex -> {
                  authorizations.add(
                      String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                  LoopbackServer.respond(ex, 204, "text/plain", new byte[0]);
                })) {
      URI withUser = URI.create("http://user:pw@127.0.0.1:" + receiver.port() + "/hook");

      assertThat(create(true).send(withUser, BODY, Map.of())).isEqualTo(Delivery.ok());
      assertThat(authorizations).containsExactly("null");
    }
  }

  private HttpWebhookSender create(boolean allowPrivateNetworks) {
    WebhookProperties webhook =
        new WebhookProperties(null, 10, Duration.ofSeconds(2), Duration.ofMinutes(10), DEADLINE, 2);
    FetchProperties fetch =
        new FetchProperties(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            DataSize.ofMegabytes(25),
            5,
            allowPrivateNetworks,
            32,
            Duration.ofMinutes(2),
            64,
            16);
    HttpWebhookSender sender = new HttpWebhookSender(webhook, fetch);
    senders.add(sender);
    return sender;
  }

  @AfterEach
  void close() throws Exception {
    for (HttpWebhookSender sender : senders) {
      sender.close();
    }
  }
}
