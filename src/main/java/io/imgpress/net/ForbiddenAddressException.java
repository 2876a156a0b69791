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

  /** Short category such as {@code loopback} or {@code private network}. */
  public String reason() {
    return reason;
  }
}
