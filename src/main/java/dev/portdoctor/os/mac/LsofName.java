package dev.portdoctor.os.mac;

import dev.portdoctor.os.text.Addresses;
import dev.portdoctor.os.text.Numbers;
import dev.portdoctor.os.text.ServiceNames;

/**
 * One side of an lsof socket name: {@code *:8080}, {@code 127.0.0.1:5432}, {@code [::1]:8080},
 * {@code [fe80::1%lo0]:5353}, or without {@code -n -P} {@code localhost:postgresql}. The file's type
 * ({@code IPv4}/{@code IPv6}) decides what {@code *} and a plain IPv4 address stand for. A host name
 * ({@code localhost}, {@code mymac.local}) is kept as the name it is: lsof resolved it on the captured
 * machine, and which address it stood for there ({@code localhost} on an IPv6 file may be {@code ::1}
 * or a v4-mapped {@code 127.0.0.1}) is not in the text.
 */
final class LsofName {
  final String address;
  /** The port, or -1 for {@code *}. */
  final int port;

  private LsofName(String address, int port) {
    this.address = address;
    this.port = port;
  }

  /** The name read, or null when it cannot be (a service name not in {@code ServiceNames} included). */
  static LsofName parse(String text, String type) {
    String host;
    String portText;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        return null;
      }
      host = text.substring(1, close);
      portText = text.substring(close + 2);
      if (!Addresses.isIpv6(host)) {
        return null;
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      host = text.substring(0, colon);
      portText = text.substring(colon + 1);
      host = plainHost(host, type);
      if (host == null) {
        return null;
      }
    }
    int port;
    if (portText.equals("*")) {
      port = -1;
    } else {
      port = Numbers.port(portText);
      if (port < 0) {
        port = ServiceNames.port(portText);
      }
      if (port < 0) {
        return null;
      }
    }
    return new LsofName(host, port);
  }

  private static String plainHost(String host, String type) {
    boolean v6 = "IPv6".equals(type);
    boolean v4 = "IPv4".equals(type);
    if (host.equals("*")) {
      return v4 ? "0.0.0.0" : v6 ? "::" : "*";
    }
    if (Addresses.isIpv4(host)) {
      return v6 ? Addresses.v4Mapped(host) : host;
    }
    return Addresses.isHostName(host) ? host : null;
  }


}
