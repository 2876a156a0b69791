package io.imgpress.intake;

import io.imgpress.net.FetchProperties;
import io.imgpress.net.ForbiddenAddressException;
import io.imgpress.net.OutboundGuard;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checks a webhook URL at upload time: its form, and that the outbound guard would let a delivery
 * reach it. An IP literal in a refused range, or a name that resolves to a refused address (any of
 * its addresses, as the guard refuses the whole answer then) or not at all, is refused at once
 * rather than accepted and retried for twenty minutes. This is a courtesy to the client, not the
 * protection: DNS can change before delivery, so the guard checks again on every connection. A
 * lookup that takes longer than a moment is left to that check, so a slow resolver never holds an
 * upload.
 */
@Component
class WebhookUrlCheck {

  private static final Logger log = LoggerFactory.getLogger(WebhookUrlCheck.class);

  /** Width of {@code requests.webhook_url}. */
  static final int MAX_LENGTH = 2048;

  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

  /** Looks up a host name's addresses; replaceable so tests need no DNS. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowPrivateNetworks;
  private final OutboundGuard guard;
  private final Resolver resolver;
  private final Duration lookupTimeout;

  @Autowired
  WebhookUrlCheck(FetchProperties fetch) {
    this(
        fetch.allowPrivateNetworks(),
        OutboundGuard.forWebhooks(fetch),
        InetAddress::getAllByName,
        LOOKUP_TIMEOUT);
  }

  WebhookUrlCheck(boolean allowPrivateNetworks, Resolver resolver, Duration lookupTimeout) {
    this(allowPrivateNetworks, new OutboundGuard(allowPrivateNetworks), resolver, lookupTimeout);
  }

  /**
   * @param guard the delivery's guard, so a host the deliveries would refuse by name ({@code
   *     denied-hosts}) is refused at upload too
   */
  WebhookUrlCheck(
      boolean allowPrivateNetworks,
      OutboundGuard guard,
      Resolver resolver,
      Duration lookupTimeout) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    this.guard = guard;
    this.resolver = resolver;
    this.lookupTimeout = lookupTimeout;
  }

  /**
   * @return the trimmed URL, or null when none was given
   * @throws InvalidUploadException for a malformed URL or one the guard would refuse
   */
  String check(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String url = raw.trim();
    if (url.length() > MAX_LENGTH) {
      throw new InvalidUploadException(
          "webhookUrl", "webhookUrl is longer than %d characters".formatted(MAX_LENGTH));
    }
    URI uri = parse(url);
    try {
      guard.checkHost(uri.getHost());
    } catch (ForbiddenAddressException e) {
      throw new InvalidUploadException("webhookUrl", "webhookUrl " + e.clientMessage(null));
    }
    if (!allowPrivateNetworks) {
      checkAddresses(uri.getHost());
    }
    return url;
  }

  private static URI parse(String url) {
    try {
      URI uri = new URI(url);
      if (OutboundGuard.hasAmbiguousHost(uri)) {
        throw new InvalidUploadException("webhookUrl", "webhookUrl" + ImageUrls.AMBIGUOUS_ADDRESS);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidUploadException("webhookUrl", "webhookUrl must be an absolute http(s) URL");
  }

  private void checkAddresses(String host) {
    InetAddress literal = literal(host);
    if (literal != null) {
      try {
        guard.checkAddress(literal);
      } catch (ForbiddenAddressException e) {
        throw refused(host + " is not allowed (" + e.reason() + ")");
      }
      return;
    }
    InetAddress[] addresses = lookUp(host);
    if (addresses == null) {
      return;
    }
    for (InetAddress address : addresses) {
      try {
        guard.checkAddress(address);
      } catch (ForbiddenAddressException e) {
        // The name only: its addresses would tell the client about the inside of the network.
        throw refused(host + " resolves to an address that is not allowed (" + e.reason() + ")");
      }
    }
  }

  private static InvalidUploadException refused(String why) {
    return new InvalidUploadException(
        "webhookUrl", "webhookUrl must point to a public address; " + why);
  }

  /** The address an IP literal host stands for (no lookup), or null for a name. */
  private static InetAddress literal(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      return InetAddress.ofLiteral(bare);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The name's addresses, or null when the lookup did not finish in time. */
  private InetAddress[] lookUp(String host) {
    FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> resolver.resolve(host));
    Thread.ofVirtual().name("imgpress-webhook-lookup").start(lookup);
    try {
      InetAddress[] addresses = lookup.get(lookupTimeout.toNanos(), TimeUnit.NANOSECONDS);
      if (addresses == null || addresses.length == 0) {
        throw doesNotResolve(host);
      }
      return addresses;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException) {
        throw doesNotResolve(host);
      }
      log.info("Could not look up webhook host {} at upload: {}", host, e.getCause().toString());
      return null;
    } catch (TimeoutException e) {
      lookup.cancel(true);
      log.info(
          "Looking up webhook host {} took over {}; left to the delivery", host, lookupTimeout);
      return null;
    } catch (InterruptedException e) {
      lookup.cancel(true);
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static InvalidUploadException doesNotResolve(String host) {
    return new InvalidUploadException("webhookUrl", "webhookUrl host does not resolve: " + host);
  }
}
