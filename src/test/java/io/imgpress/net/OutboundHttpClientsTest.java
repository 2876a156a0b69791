package io.imgpress.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboundHttpClientsTest {

  private static final OutboundHttpClients.Settings SETTINGS =
      new OutboundHttpClients.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), 4);

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicReference<String> userAgent = new AtomicReference<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          userAgent.set(exchange.getRequestHeaders().getFirst("User-Agent"));
          exchange.getResponseHeaders().add("Location", "/elsewhere");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/start";
  }

  @Test
  void sendsUserAgentAndLeavesRedirectsToTheCaller() throws IOException {
    try (CloseableHttpClient client =
        OutboundHttpClients.create(SETTINGS, new OutboundGuard(true))) {
      int status = client.execute(new HttpGet(url()), ClassicHttpResponse::getCode);

      assertThat(status).isEqualTo(302);
      assertThat(requests).hasValue(1);
      assertThat(userAgent).hasValue("imgpress/0.1");
    }
  }

  @Test
  void refusesForbiddenAddressesBeforeConnecting() throws IOException {
    try (CloseableHttpClient client =
        OutboundHttpClients.create(SETTINGS, new OutboundGuard(false))) {
      assertThatThrownBy(() -> client.execute(new HttpGet(url()), ClassicHttpResponse::getCode))
          .isInstanceOf(ForbiddenAddressException.class)
          .hasMessage("address 127.0.0.1 is not allowed (loopback)");
      assertThat(requests).hasValue(0);
    }
  }

  @Test
  void takesTheSmallestSensibleSettings() {
    var settings = new OutboundHttpClients.Settings(Duration.ofMillis(1), Duration.ofMillis(1), 1);

    assertThat(settings.maxConnections()).isEqualTo(1);
  }

  @Test
  void namesTheSettingThatIsNotPositive() {
    assertThatThrownBy(
            () ->
                new OutboundHttpClients.Settings(Duration.ofSeconds(-1), Duration.ofSeconds(1), 1))
        .hasMessage("connectTimeout must be positive");
    assertThatThrownBy(
            () -> new OutboundHttpClients.Settings(Duration.ofSeconds(1), Duration.ZERO, 1))
        .hasMessage("readTimeout must be positive");
    assertThatThrownBy(
            () ->
                new OutboundHttpClients.Settings(Duration.ofSeconds(1), Duration.ofSeconds(-1), 1))
        .hasMessage("readTimeout must be positive");
    assertThatThrownBy(
            () -> new OutboundHttpClients.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .hasMessage("maxConnections must be at least 1");
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(
            () -> new OutboundHttpClients.Settings(Duration.ZERO, Duration.ofSeconds(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new OutboundHttpClients.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void perRouteConnectionsDefaultToTheTotalAndMayNotExceedIt() {
    var settings =
        new OutboundHttpClients.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 7);

    assertThat(settings.maxConnectionsPerRoute()).isEqualTo(7);
    assertThatThrownBy(
            () ->
                new OutboundHttpClients.Settings(
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 4, 5))
        .hasMessage("maxConnectionsPerRoute must not exceed maxConnections");
    assertThatThrownBy(
            () ->
                new OutboundHttpClients.Settings(
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 4, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
