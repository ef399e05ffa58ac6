package dev.portdoctor.core;

/**
 * An inclusive range of ports, such as the OS's ephemeral range {@code 32768-60999}, with where it
 * comes from.
 *
 * @param label what defines or reserved it, for people ({@code net.ipv4.ip_local_port_range},
 *     {@code Windows excluded range}); may be empty
 */
public record PortRange(int first, int last, String label) {

  public PortRange {
    if (first < 1 || last > PortSet.MAX_PORT || first > last) {
      throw new IllegalArgumentException("invalid port range " + first + "-" + last);
    }
    label = label == null ? "" : label;
  }

  public PortRange(int first, int last) {
    this(first, last, "");
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  public int size() {
    return last - first + 1;
  }

  /** {@code 32768-60999}, or {@code 8080} for a single port. */
  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
