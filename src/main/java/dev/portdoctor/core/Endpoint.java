package dev.portdoctor.core;

/**
 * A socket address as text: an IPv4 or IPv6 literal (IPv6 without brackets, an optional zone after
 * {@code %}), and a port. No name resolution ever happens here.
 */
public record Endpoint(String address, int port) {

  public Endpoint {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** True when the address is IPv6 (it contains a colon). */
  public boolean isIpv6() {
    return address.indexOf(':') >= 0;
  }

  /** True for {@code 0.0.0.0} and {@code ::}: bound to every address of its family. */
  public boolean isWildcard() {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
  }

  /** {@code 127.0.0.1:80} or {@code [::1]:80}. */
  @Override
  public String toString() {
    return isIpv6() ? "[" + address + "]:" + port : address + ":" + port;
  }
}
