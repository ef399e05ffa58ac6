package dev.portdoctor.core;

/**
 * An inclusive range of ports with what reserved it.
 *
 * @param label who or what reserved it, for people ({@code Windows excluded range}, {@code administered})
 */
public record PortRange(int start, int end, String label) {
  public boolean contains(int port) {
    return port >= start && port <= end;
  }

  @Override
  public String toString() {
    return start == end ? Integer.toString(start) : start + "-" + end;
  }
}
