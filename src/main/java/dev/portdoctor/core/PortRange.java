package dev.portdoctor.core;

/** An inclusive range of ports, such as the OS's ephemeral range {@code 32768-60999}. */
public record PortRange(int first, int last) {

  public PortRange {
    if (first < 1 || last > PortSet.MAX_PORT || first > last) {
      throw new IllegalArgumentException("invalid port range " + first + "-" + last);
    }
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  public int size() {
    return last - first + 1;
  }

  /** {@code 32768-60999}. */
  @Override
  public String toString() {
    return first + "-" + last;
  }
}
