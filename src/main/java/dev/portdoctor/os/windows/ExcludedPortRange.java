package dev.portdoctor.os.windows;

/**
 * One range of ports Windows keeps applications from binding ({@code netsh interface ipv4 show
 * excludedportrange}). Hyper-V, WSL and Docker reserve blocks of 100 that move at every boot; a bind
 * inside one fails with "access denied" although nothing listens there, which is why portdoctor shows
 * them.
 *
 * @param start the first excluded port
 * @param end the last excluded port (inclusive)
 * @param administered set by an administrator ({@code netsh ... add excludedportrange}), marked
 *     {@code *} by netsh, as opposed to reserved on the fly by a service such as WinNAT
 */
public record ExcludedPortRange(int start, int end, boolean administered) {

  public ExcludedPortRange {
    if (start < 0 || end > 65535 || start > end) {
      throw new IllegalArgumentException("invalid port range " + start + "-" + end);
    }
  }

  public boolean contains(int port) {
    return port >= start && port <= end;
  }

  /** {@code 50000-50059} or {@code 5357}, with {@code *} when administered. */
  @Override
  public String toString() {
    return (start == end ? Integer.toString(start) : start + "-" + end) + (administered ? " *" : "");
  }
}
