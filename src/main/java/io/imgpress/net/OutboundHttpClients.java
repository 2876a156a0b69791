package io.imgpress.net;

import java.time.Duration;
import java.util.Objects;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the HTTP clients for requests to user-supplied URLs (source images, webhooks).
 *
 * <p>Every connection goes through the {@link OutboundGuard}. Redirects are not followed: the
 * caller follows them itself and re-checks each hop with {@link OutboundGuard#checkUri}. No proxy
 * is configured on purpose: a proxy would resolve host names itself, out of the guard's sight.
 */
public final class OutboundHttpClients {

  public static final String USER_AGENT = "imgpress/0.1";

  /**
   * @param readTimeout longest wait for the response head and between two reads of the body
   * @param maxConnections pool size in all; size it to the downloads in flight
   * @param maxConnectionsPerRoute pool size per route (scheme, host and port); HttpClient's own
   *     default is 5, which would silently cap the downloads from one host at 5
   */
  public record Settings(
      Duration connectTimeout,
      Duration readTimeout,
      int maxConnections,
      int maxConnectionsPerRoute) {
    public Settings {
      requirePositive(connectTimeout, "connectTimeout");
      requirePositive(readTimeout, "readTimeout");
      if (maxConnections < 1 || maxConnectionsPerRoute < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1");
      }
      if (maxConnectionsPerRoute > maxConnections) {
        throw new IllegalArgumentException("maxConnectionsPerRoute must not exceed maxConnections");
      }
    }

    /** As many connections to one host as in all. */
    public Settings(Duration connectTimeout, Duration readTimeout, int maxConnections) {
      this(connectTimeout, readTimeout, maxConnections, maxConnections);
    }

    private static void requirePositive(Duration duration, String name) {
      if (Objects.requireNonNull(duration, name).isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
    }
  }

  private OutboundHttpClients() {}

  public static CloseableHttpClient create(Settings settings, OutboundGuard guard) {
    return create(settings, guard, SystemDefaultDnsResolver.INSTANCE);
  }

  /**
   * @param resolver does the actual lookups before the guard checks them; replaceable so tests can
   *     map made-up host names to loopback
   */
  public static CloseableHttpClient create(
      Settings settings, OutboundGuard guard, DnsResolver resolver) {
    Timeout connectTimeout = Timeout.of(settings.connectTimeout());
    Timeout readTimeout = Timeout.of(settings.readTimeout());
    PoolingHttpClientConnectionManager connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new GuardedDnsResolver(guard, resolver))
            .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(readTimeout).build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(connectTimeout)
                    .setSocketTimeout(readTimeout)
                    .build())
            .setMaxConnTotal(settings.maxConnections())
            .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
            .build();
    RequestConfig requests =
        RequestConfig.custom()
            .setRedirectsEnabled(false)
            .setResponseTimeout(readTimeout)
            .setConnectionRequestTimeout(connectTimeout)
            .build();
    return HttpClients.custom()
        .setConnectionManager(connections)
        .setDefaultRequestConfig(requests)
        .disableRedirectHandling()
        // Callers retry with their own backoff; a built-in retry would multiply attempts and
        // delays.
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        // Bodies are taken as sent; images are compressed already.
        .disableContentCompression()
        .setUserAgent(USER_AGENT)
        .build();
  }
}
