package dev.portdoctor.os.linux;

import dev.portdoctor.os.text.Addresses;
import dev.portdoctor.os.text.Numbers;
import dev.portdoctor.os.text.ServiceNames;

/**
 * One {@code address:port} field of {@code ss}: {@code 127.0.0.1:80}, {@code [::1]:80},
 * {@code [::ffff:127.0.0.1]:80}, {@code *:*}, {@code 127.0.0.53%lo:53}, {@code [fe80::1]%eth0:123}, or
 * the unbracketed IPv6 of old versions ({@code :::22}). The port may be {@code *} (none) or, without
 * {@code -n}, a service name, read through {@link ServiceNames}.
 */
final class SsAddress {
  final String address;
  /** The port, or -1 for {@code *}. */
  final int port;

  private SsAddress(String address, int port) {
    this.address = address;
    this.port = port;
  }

  boolean isWildcard() {
    return address.equals("*") || address.equals("0.0.0.0") || address.equals("::");
  }

  /** The field read, or null when it is not an address and port. */
  static SsAddress parse(String field) {
    String host;
    String device = null;
    String portText;
    if (field.startsWith("[")) {
      int close = field.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = field.substring(1, close);
      String rest = field.substring(close + 1);
      int colon = rest.lastIndexOf(':');
      if (colon < 0 || (colon > 0 && rest.charAt(0) != '%')) {
        return null;
      }
      if (colon > 0) {
        device = rest.substring(1, colon);
      }
      portText = rest.substring(colon + 1);
      if (!Addresses.isIpv6(host)) {
        return null;
      }
    } else {
      int colon = field.lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      host = field.substring(0, colon);
      portText = field.substring(colon + 1);
      int pct = host.indexOf('%');
      if (pct >= 0 && !Addresses.isIpv6(host)) {
        device = host.substring(pct + 1);
        host = host.substring(0, pct);
      }
      if (!host.equals("*") && !Addresses.isIpv4(host) && !Addresses.isIpv6(host)) {
        return null;
      }
    }
    int port = portNumber(portText);
    if (port == -2) {
      return null;
    }
    return new SsAddress(withDevice(host, device), port);
  }

  /** The port, -1 for {@code *}, -2 when unreadable. */
  private static int portNumber(String text) {
    if (text.equals("*")) {
      return -1;
    }
    int port = Numbers.port(text);
    if (port < 0) {
      port = ServiceNames.port(text);
    }
    return port < 0 ? -2 : port;
  }

  /** Keeps a device name only as the zone of a link-local IPv6 address (see {@link SsParser}). */
  private static String withDevice(String host, String device) {
    if (host.indexOf('%') >= 0) {
      return Addresses.isLinkLocal(host) ? host : host.substring(0, host.indexOf('%'));
    }
    if (device != null && !device.isEmpty() && Addresses.isLinkLocal(host) && host.indexOf(':') >= 0) {
      String zoned = host + "%" + device;
      return Addresses.isIpv6(zoned) ? zoned : host;
    }
    return host;
  }
}
