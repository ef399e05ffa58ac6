package dev.portdoctor.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@code wait}: whether every port reached the condition in time, and for each port
 * what the last look saw.
 *
 * @param method how the condition was tested: {@code table} (a LISTEN socket in the socket table),
 *     {@code connect} (a TCP connect to {@link #addresses}), {@code bind} (a trial bind on them)
 * @param addresses the addresses connected to or bound; empty for {@code table}
 * @param elapsed from the first look to the end
 * @param polls how many times the ports were looked at
 */
public record WaitResult(
    Waiter.Condition condition,
    Protocol protocol,
    String method,
    List<String> addresses,
    Outcome outcome,
    Duration timeout,
    Duration interval,
    Duration elapsed,
    int polls,
    List<PortStatus> ports) {

  public WaitResult {
    addresses = List.copyOf(addresses);
    ports = List.copyOf(ports);
  }

  /** How the wait ended. */
  public enum Outcome {
    MET("met"),
    TIMEOUT("timeout"),
    INTERRUPTED("interrupted");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One port.
   *
   * @param metAfter when the port reached the condition, from the start
   * @param answeredBy {@code connect}: the address that accepted the connection; {@code table}: the local
   *     address of the LISTEN socket found
   * @param attempts {@code connect}: the last connect to each address
   * @param probes {@code bind}: the last trial bind on each address
   * @param check {@code bind}, when the port was still in use at the end: who holds it, as {@code check}
   *     tells it
   * @param note why something could not be found out (the socket table cannot be read here...)
   */
  public record PortStatus(
      int port,
      boolean met,
      Optional<Duration> metAfter,
      Optional<String> answeredBy,
      List<ConnectResult> attempts,
      List<ProbeResult> probes,
      Optional<CheckResult> check,
      Optional<String> note) {

    public PortStatus {
      attempts = List.copyOf(attempts);
      probes = List.copyOf(probes);
    }
  }
}
