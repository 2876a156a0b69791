package io.imgpress.webhook.http;

import io.imgpress.net.FetchProperties;
import io.imgpress.webhook.WebhookProperties;
import io.imgpress.webhook.WebhookSender;
import io.imgpress.webhook.WebhookSenderContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.util.unit.DataSize;

class HttpWebhookSenderTest extends WebhookSenderContract {

  private final List<HttpWebhookSender> senders = new ArrayList<>();

  @Override
  protected WebhookSender sender() {
    return create(true);
  }

  @Override
  protected WebhookSender guardedSender() {
    return create(false);
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
            Duration.ofMinutes(2));
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
