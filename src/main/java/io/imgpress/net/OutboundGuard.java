package io.imgpress.net;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides where the service may connect to on a user's behalf (SSRF protection).
 *
 * <p>Addresses are checked after resolution, on the very addresses the socket connects to (see
 * {@link OutboundHttpClients}), so odd spellings of IP literals and DNS rebinding cannot slip past
 * a check done on the host name.
 */
public final class OutboundGuard {

  private final boolean allowPrivateNetworks;
  private final Predicate<InetAddress> alwaysAllowed;

  public OutboundGuard(boolean allowPrivateNetworks) {
    this(allowPrivateNetworks, address -> false);
  }

  /**
   * @param alwaysAllowed addresses let through even when private networks are refused; meant for
   *     tests and for an explicit allow-list, never derived from user input
   */
  public OutboundGuard(boolean allowPrivateNetworks, Predicate<InetAddress> alwaysAllowed) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    this.alwaysAllowed = Objects.requireNonNull(alwaysAllowed);
  }

  /**
   * @throws ForbiddenAddressException unless the address is public or private networks are allowed
   */
  public void checkAddress(InetAddress address) {
    if (allowPrivateNetworks || alwaysAllowed.test(address)) {
      return;
    }
    AddressCategory category = AddressCategory.of(address);
    if (category != AddressCategory.PUBLIC) {
      throw new ForbiddenAddressException(address, category.description());
    }
  }

  /**
   * Checks what can be checked before any connection: the scheme and that there is a host. The
   * host's addresses are checked at connect time.
   *
   * @throws IllegalArgumentException with a message fit to show to the user
   */
  public void checkUri(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("only http and https URLs are allowed");
    }
    // java.net.URI leaves the host null for authorities it cannot parse as a host name or an IP
    // literal (e.g. "127.1", "0x7f.1"); refusing those avoids guessing how a resolver reads them.
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("URL has no valid host");
    }
  }
}
