package io.imgpress.net;

import java.net.InetAddress;

/** An outbound connection would have gone to an address the {@link OutboundGuard} refuses. */
public class ForbiddenAddressException extends RuntimeException {

  private final transient InetAddress address;
  private final String reason;

  ForbiddenAddressException(InetAddress address, String reason) {
    super("address " + address.getHostAddress() + " is not allowed (" + reason + ")");
    this.address = address;
    this.reason = reason;
  }

  public InetAddress address() {
    return address;
  }

  /**
   * What a client may be told: the host it named and the category, never the resolved address,
   * which would reveal the inside of the network.
   */
  public String clientMessage(String host) {
    return "address not allowed: " + host + " (" + reason + ")";
  }

  /** Short category such as {@code loopback} or {@code private network}. */
  public String reason() {
    return reason;
  }
}
