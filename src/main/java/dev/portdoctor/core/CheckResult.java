package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;

/**
 * The verdict for one port with its evidence.
 *
 * @param cause a stable machine-readable name: {@code listener}, {@code time-wait}, {@code privileged},
 *     {@code address-not-available}, {@code error}; empty when free
 * @param reason one sentence a person can act on
 * @param remedy what to do about it, when there is something to do
 * @param probes every trial bind made, in order
 * @param sockets the sockets found on the port (holders resolved), when it is not free
 * @param timeWait how many TIME_WAIT connections use the port as their local port
 * @param strictTimeWait true when a bind without SO_REUSEADDR failed only because of TIME_WAIT
 * @param warnings remarks that do not change the verdict (the port is in the ephemeral range...)
 */
public record CheckResult(
    int port,
    Protocol protocol,
    Verdict verdict,
    Optional<String> cause,
    String reason,
    Optional<String> remedy,
    List<ProbeResult> probes,
    List<SocketReport> sockets,
    int timeWait,
    boolean strictTimeWait,
    List<Warning> warnings) {

  public CheckResult {
    probes = List.copyOf(probes);
    sockets = List.copyOf(sockets);
    warnings = List.copyOf(warnings);
  }

  /** Without warnings (they are added once the verdict is known). */
  public CheckResult(int port, Protocol protocol, Verdict verdict, Optional<String> cause, String reason,
      Optional<String> remedy, List<ProbeResult> probes, List<SocketReport> sockets, int timeWait,
      boolean strictTimeWait) {
    this(port, protocol, verdict, cause, reason, remedy, probes, sockets, timeWait, strictTimeWait, List.of());
  }

  public CheckResult withWarnings(List<Warning> w) {
    return new CheckResult(port, protocol, verdict, cause, reason, remedy, probes, sockets, timeWait, strictTimeWait, w);
  }
}
