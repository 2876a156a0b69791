package io.imgpress.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Where an address points, as far as outbound requests are concerned. Everything that is not
 * plainly public unicast is refused by default, so unknown special-purpose ranges err on the safe
 * side.
 */
enum AddressCategory {
  PUBLIC("public"),
  LOOPBACK("loopback"),
  PRIVATE("private network"),
  LINK_LOCAL("link-local"),
  CLOUD_METADATA("cloud metadata"),
  UNSPECIFIED("unspecified"),
  CARRIER_GRADE_NAT("carrier-grade NAT"),
  MULTICAST("multicast"),
  BROADCAST("broadcast"),
  RESERVED("reserved");

  private final String description;

  AddressCategory(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  private record V4Range(int network, int prefixLength, AddressCategory category) {
    boolean contains(int address) {
      int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
      return (address & mask) == network;
    }
  }

  // First match wins, so the narrow ranges come before the ranges that contain them.
  private static final List<V4Range> V4_RANGES =
      List.of(
          new V4Range(0x00000000, 8, UNSPECIFIED),
          new V4Range(0x0A000000, 8, PRIVATE),
          new V4Range(0x64400000, 10, CARRIER_GRADE_NAT),
          new V4Range(0x7F000000, 8, LOOPBACK),
          new V4Range(0xA9FEA9FE, 32, CLOUD_METADATA),
          new V4Range(0xA9FE0000, 16, LINK_LOCAL),
          new V4Range(0xAC100000, 12, PRIVATE),
          new V4Range(0xC0000000, 24, RESERVED), // IETF protocol assignments
          new V4Range(0xC0000200, 24, RESERVED), // TEST-NET-1
          new V4Range(0xC0586300, 24, RESERVED), // 6to4 relay anycast
          new V4Range(0xC0A80000, 16, PRIVATE),
          new V4Range(0xC6120000, 15, RESERVED), // benchmarking
          new V4Range(0xC6336400, 24, RESERVED), // TEST-NET-2
          new V4Range(0xCB007100, 24, RESERVED), // TEST-NET-3
          new V4Range(0xE0000000, 4, MULTICAST),
          new V4Range(0xFFFFFFFF, 32, BROADCAST),
          new V4Range(0xF0000000, 4, RESERVED));

  // AWS's IPv6 instance metadata endpoint; it sits inside fc00::/7 but deserves its own name.
  private static final byte[] AWS_METADATA_V6 = {
    (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
  };

  static AddressCategory of(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 ? ofV4(bytes, 0) : ofV6(bytes);
  }

  private static AddressCategory ofV4(byte[] bytes, int offset) {
    int address =
        (bytes[offset] & 0xff) << 24
            | (bytes[offset + 1] & 0xff) << 16
            | (bytes[offset + 2] & 0xff) << 8
            | (bytes[offset + 3] & 0xff);
    for (V4Range range : V4_RANGES) {
      if (range.contains(address)) {
        return range.category();
      }
    }
    return PUBLIC;
  }

  private static AddressCategory ofV6(byte[] b) {
    // Forms that carry an IPv4 address are judged by that address: the kernel or a translator
    // may deliver them to it.
    if (zero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
      return ofV4(b, 12); // ::ffff:a.b.c.d, IPv4-mapped
    }
    if (zero(b, 0, 12)) {
      if (zero(b, 12, 15) && (b[15] == 0 || b[15] == 1)) {
        return b[15] == 0 ? UNSPECIFIED : LOOPBACK;
      }
      return ofV4(b, 12); // ::a.b.c.d, IPv4-compatible (deprecated)
    }
    if (u16(b, 0) == 0x0064 && u16(b, 2) == 0xff9b && (zero(b, 4, 12) || u16(b, 4) == 0x0001)) {
      return ofV4(b, 12); // NAT64: 64:ff9b::/96 and the local-use 64:ff9b:1::/48
    }
    if (u16(b, 0) == 0x2002) {
      return ofV4(b, 2); // 6to4
    }
    if (Arrays.equals(b, AWS_METADATA_V6)) {
      return CLOUD_METADATA;
    }
    int first = b[0] & 0xff;
    if ((first & 0xfe) == 0xfc) {
      return PRIVATE; // unique local fc00::/7
    }
    if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
      return LINK_LOCAL; // fe80::/10
    }
    if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
      return PRIVATE; // site-local fec0::/10, deprecated but still routable on some networks
    }
    if (first == 0xff) {
      return MULTICAST;
    }
    if ((first & 0xe0) != 0x20) {
      return RESERVED; // outside 2000::/3, the only range handed out for global unicast
    }
    if (u16(b, 0) == 0x2001 && (u16(b, 2) == 0x0000 || u16(b, 2) == 0x0db8)) {
      return RESERVED; // Teredo (embeds an obfuscated IPv4 address) and documentation
    }
    return PUBLIC;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int offset) {
    return (b[offset] & 0xff) << 8 | (b[offset + 1] & 0xff);
  }
}
