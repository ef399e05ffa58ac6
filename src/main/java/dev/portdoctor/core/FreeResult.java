package dev.portdoctor.core;

import java.util.List;

/**
 * The outcome of {@code free}: ports on which a trial bind succeeded, in the order found.
 *
 * @param searched the ports that were candidates, compact ({@code 1024-32767,61000-65535})
 * @param avoided ranges left out by default, each with why
 * @param tried how many candidates were trial-bound
 */
public record FreeResult(
    Protocol protocol,
    List<String> addresses,
    String searched,
    List<Avoided> avoided,
    int requested,
    List<Integer> ports,
    int tried) {

  public FreeResult {
    addresses = List.copyOf(addresses);
    avoided = List.copyOf(avoided);
    ports = List.copyOf(ports);
  }

  public boolean complete() {
    return ports.size() >= requested;
  }

  /** A range {@code free} does not hand out by default: {@code well-known} or {@code ephemeral}. */
  public record Avoided(PortRange range, String reason) {}
}
