package io.imgpress.net;

import java.net.InetAddress;

/** An outbound connection would have gone to an address the {@link OutboundGuard} refuses. */
public class ForbiddenAddressException extends RuntimeException {

  static final String AMBIGUOUS = "ambiguous address";

  private final transient InetAddress address;
  private final String writtenHost;
  private final String reason;
  private final String what;

  ForbiddenAddressException(InetAddress address, String reason) {
    super("address " + address.getHostAddress() + " is not allowed (" + reason + ")");
    this.address = address;
    this.writtenHost = null;
    this.reason = reason;
    this.what = "address";
  }

  /** A host refused as written, before resolution: an IPv4 address in an ambiguous spelling. */
  static ForbiddenAddressException ambiguous(String host) {
    return new ForbiddenAddressException(host);
  }

  private ForbiddenAddressException(String host) {
    this(host, AMBIGUOUS, "address");
  }

  private ForbiddenAddressException(String host, String reason, String what) {
    super(what + " " + host + " is not allowed (" + reason + ")");
    this.address = null;
    this.writtenHost = host;
    this.reason = reason;
    this.what = what;
  }

  /**
   * A host refused by name, before resolution, by {@code imgpress.fetch.allowed-hosts} or {@code
   * denied-hosts}; the reason names the setting.
   */
  static ForbiddenAddressException host(String host, String reason) {
    return new ForbiddenAddressException(host, reason, "host");
  }

  /** The refused address; {@code null} when the host was refused as written, unresolved. */
  public InetAddress address() {
    return address;
  }

  /**
   * What a client may be told: the host it named and the category, never the resolved address,
   * which would reveal the inside of the network. A host refused as written is named as written
   * (the caller's idea of the host may be {@code null} for such spellings).
   */
  public String clientMessage(String host) {
    return what
        + " not allowed: "
        + (writtenHost != null ? writtenHost : host)
        + " ("
        + reason
        + ")";
  }

  /**
   * Short category such as {@code loopback} or {@code private network}, or the setting that refused
   * a host by name.
   */
  public String reason() {
    return reason;
  }
}
