package dev.portdoctor.os.mac;

import dev.portdoctor.os.text.Addresses;
import dev.portdoctor.os.text.Numbers;
import dev.portdoctor.os.text.ServiceNames;

/**
 * One address column of BSD {@code netstat}: the port follows the LAST dot, so {@code 127.0.0.1.8080},
 * {@code *.8080}, {@code ::1.8080}, {@code fe80::1%lo0.5353} and {@code *.*}. Without {@code -W},
 * long IPv6 addresses are cut to fit ({@code 2603:6010:7c00:4.51737}); the port is whole and the
 * address is kept as printed.
 */
final class BsdAddress {
  final String address;
  /** The port, or -1 for {@code *}. */
  final int port;

  private BsdAddress(String address, int port) {
    this.address = address;
    this.port = port;
  }

  boolean isWildcard() {
    return address.equals("*") || address.equals("0.0.0.0") || address.equals("::");
  }

  /**
   * The column read, or null when it cannot be (a host name, an unknown service).
   *
   * @param family {@code "4"}, {@code "6"}, {@code "46"} from the protocol column, or empty
   */
  static BsdAddress parse(String field, String family) {
    int dot = field.lastIndexOf('.');
    if (dot <= 0) {
      return null;
    }
    String host = field.substring(0, dot);
    String portText = field.substring(dot + 1);
    boolean v6 = family.startsWith("6") || family.equals("46");
    if (host.equals("*")) {
      host = family.equals("4") ? "0.0.0.0" : v6 ? "::" : "*";
    } else if (host.equals("localhost")) {
      host = family.equals("6") ? "::1" : "127.0.0.1"; // without -n
    } else if (Addresses.isIpv4(host)) {
      host = v6 ? Addresses.v4Mapped(host) : host;
    } else if (!Addresses.isIpv6(host)) {
      return null;
    }
    if (portText.equals("*")) {
      return new BsdAddress(host, -1);
    }
    int port = Numbers.port(portText);
    if (port < 0) {
      port = ServiceNames.port(portText);
    }
    return port < 0 ? null : new BsdAddress(host, port);
  }
}
