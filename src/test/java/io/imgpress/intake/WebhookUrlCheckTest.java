package io.imgpress.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A webhook URL the outbound guard would refuse at delivery is refused at upload, with the field
 * named, instead of being accepted and retried for twenty minutes. Names are resolved through a
 * scripted resolver.
 */
class WebhookUrlCheckTest {

  static final Map<String, List<String>> DNS =
      Map.of(
          "hooks.example.com", List.of("93.184.216.34", "2606:2800:220:1::1"),
          "intranet.test", List.of("10.1.2.3"),
          "split.test", List.of("93.184.216.34", "127.0.0.1"),
          "metadata.test", List.of("169.254.169.254"));

  final List<String> lookups = new CopyOnWriteArrayList<>();
  final CountDownLatch never = new CountDownLatch(1);

  final WebhookUrlCheck.Resolver resolver =
      host -> {
        lookups.add(host);
        if (host.equals("slow.test")) {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
          throw new UnknownHostException(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
          resolved[i] = InetAddress.ofLiteral(addresses.get(i));
        }
        return resolved;
      };

  final WebhookUrlCheck guarded = new WebhookUrlCheck(false, resolver, Duration.ofSeconds(2));

  @AfterEach
  void release() {
    never.countDown();
  }

  @Test
  void noWebhookIsFine() {
    assertThat(guarded.check(null)).isNull();
    assertThat(guarded.check("  ")).isNull();
  }

  @Test
  void acceptsAPublicReceiver() {
    assertThat(guarded.check(" https://hooks.example.com/imgpress "))
        .isEqualTo("https://hooks.example.com/imgpress");
    assertThat(guarded.check("http://93.184.216.34:8080/x"))
        .isEqualTo("http://93.184.216.34:8080/x");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://2130706433/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/hook"
      })
  void refusesAnAddressTheGuardRefuses(String url) {
    assertThatThrownBy(() -> guarded.check(url))
        .isInstanceOfSatisfying(
            InvalidUploadException.class, e -> assertThat(e.field()).isEqualTo("webhookUrl"))
        .hasMessageStartingWith("webhookUrl must point to a public address")
        .hasMessageContaining("not allowed");
    assertThat(lookups).as("an IP literal needs no lookup").isEmpty();
  }

  @Test
  void refusesANameThatResolvesToAForbiddenAddressWithoutRevealingIt() {
    assertThatThrownBy(() -> guarded.check("https://intranet.test/hook"))
        .isInstanceOf(InvalidUploadException.class)
        .hasMessageContaining("intranet.test")
        .hasMessageContaining("private network")
        .hasMessageNotContaining("10.1.2.3");
    assertThatThrownBy(() -> guarded.check("https://metadata.test/hook"))
        .hasMessageContaining("cloud metadata");
  }

  @Test
  void refusesANameWithAnyForbiddenAddressAsTheGuardDoesAtDelivery() {
    // The delivery-time guard refuses the whole answer when one address is forbidden, so such a
    // webhook could never be delivered.
    assertThatThrownBy(() -> guarded.check("https://split.test/hook"))
        .isInstanceOf(InvalidUploadException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void refusesANameThatDoesNotResolveWithItsOwnMessage() {
    assertThatThrownBy(() -> guarded.check("https://nowhere.test/hook"))
        .isInstanceOfSatisfying(
            InvalidUploadException.class, e -> assertThat(e.field()).isEqualTo("webhookUrl"))
        .hasMessage("webhookUrl host does not resolve: nowhere.test");
  }

  @Test
  void aLookupThatTakesTooLongDoesNotHoldTheUploadAndIsLeftToTheDeliveryGuard() {
    String url =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> guarded.check("https://slow.test/x"));
    assertThat(url).isEqualTo("https://slow.test/x");
  }

  @Test
  void privateNetworksAllowedMeansNothingIsRefusedOrLookedUp() {
    WebhookUrlCheck open = new WebhookUrlCheck(true, resolver, Duration.ofSeconds(2));
    assertThat(open.check("http://127.0.0.1:8080/hook")).isEqualTo("http://127.0.0.1:8080/hook");
    assertThat(open.check("http://nowhere.test/hook")).isEqualTo("http://nowhere.test/hook");
    assertThat(lookups).isEmpty();
  }

  @Test
  void acceptsAWebhookUrlOfExactlyTheColumnWidth() {
    String url = longUrl(2048);

    assertThat(guarded.check(url)).isEqualTo(url);
  }

  @Test
  void saysALongerWebhookUrlIsTooLongRatherThanMalformed() {
    assertThatThrownBy(() -> guarded.check(longUrl(2049)))
        .isInstanceOfSatisfying(
            InvalidUploadException.class, e -> assertThat(e.field()).isEqualTo("webhookUrl"))
        .hasMessage("webhookUrl is longer than 2048 characters");
    assertThat(lookups).as("refused before any lookup").isEmpty();
  }

  /** A URL of a public receiver of exactly {@code length} characters. */
  private static String longUrl(int length) {
    String prefix = "https://hooks.example.com/";
    return prefix + "x".repeat(length - prefix.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://hooks.example.com/x", "hooks.example.com/x", "http://"})
  void theFormIsCheckedFirst(String url) {
    assertThatThrownBy(() -> guarded.check(url))
        .isInstanceOf(InvalidUploadException.class)
        .hasMessage("webhookUrl must be an absolute http(s) URL");
  }

  @Test
  void aDeniedHostIsRefusedAtUploadAndTheSourceAllowListDoesNotApply() {
    io.imgpress.net.FetchProperties fetch =
        new io.imgpress.net.FetchProperties(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            org.springframework.util.unit.DataSize.ofMegabytes(25),
            5,
            true,
            32,
            Duration.ofMinutes(2),
            64,
            16,
            "",
            List.of("images.example.com"),
            List.of("*.Internal.Example"));
    WebhookUrlCheck check =
        new WebhookUrlCheck(
            true,
            io.imgpress.net.OutboundGuard.forWebhooks(fetch),
            resolver,
            Duration.ofSeconds(2));

    assertThatThrownBy(() -> check.check("https://hooks.internal.example./in"))
        .isInstanceOfSatisfying(
            InvalidUploadException.class,
            e -> {
              assertThat(e.field()).isEqualTo("webhookUrl");
              assertThat(e)
                  .hasMessage(
                      "webhookUrl host not allowed: hooks.internal.example."
                          + " (in imgpress.fetch.denied-hosts)");
            });
    assertThat(check.check("https://receiver.example.org/in"))
        .isEqualTo("https://receiver.example.org/in");
  }
}
