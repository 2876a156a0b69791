package io.imgpress.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves through a delegate, then refuses the whole answer if any address is forbidden. The
 * connection operator connects only to what this returns, so the addresses checked are the
 * addresses used.
 */
final class GuardedDnsResolver implements DnsResolver {

  private final OutboundGuard guard;
  private final DnsResolver delegate;

  GuardedDnsResolver(OutboundGuard guard, DnsResolver delegate) {
    this.guard = guard;
    this.delegate = delegate;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    // Before resolving: the resolver would read an ambiguous spelling its own way.
    if (OutboundGuard.isAmbiguousHost(host)) {
      throw ForbiddenAddressException.ambiguous(host);
    }
    InetAddress[] addresses = delegate.resolve(host);
    if (addresses == null || addresses.length == 0) {
      throw new UnknownHostException(host);
    }
    // All of them, not just the first: the client falls back to the next address on failure.
    for (InetAddress address : addresses) {
      guard.checkAddress(address);
    }
    return addresses;
  }

  // Overridden because the default turns an empty answer into an unresolved address that the
  // socket would then resolve on its own, outside this check.
  @Override
  public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    return Arrays.stream(resolve(host)).map(a -> new InetSocketAddress(a, port)).toList();
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return delegate.resolveCanonicalHostname(host);
  }
}
