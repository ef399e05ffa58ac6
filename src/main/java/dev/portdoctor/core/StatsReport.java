package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;

/**
 * The machine's sockets at a glance ({@code portdoctor stats}): counts, the ephemeral port range and its
 * use per destination, TIME_WAIT and CLOSE_WAIT pile-ups, the processes with the most sockets, and the
 * findings that crossed a threshold.
 */
public record StatsReport(
    List<Count> counts,
    int total,
    Optional<PortRange> ephemeralRange,
    List<EndpointUse> ephemeralUse,
    int timeWait,
    List<Group> timeWaitGroups,
    int closeWait,
    List<ProcessCount> closeWaitProcesses,
    List<ProcessCount> topProcesses,
    List<Finding> findings) {

  public StatsReport {
    counts = List.copyOf(counts);
    ephemeralUse = List.copyOf(ephemeralUse);
    timeWaitGroups = List.copyOf(timeWaitGroups);
    closeWaitProcesses = List.copyOf(closeWaitProcesses);
    topProcesses = List.copyOf(topProcesses);
    findings = List.copyOf(findings);
  }

  /** Sockets of one protocol in one state. */
  public record Count(Protocol protocol, SocketState state, int count) {}

  /**
   * Outgoing connections from one local address to one destination: each takes a port of the ephemeral
   * range, and the 4-tuple (local address, local port, remote address, remote port) must be unique, so
   * at most the range's size of them can exist at once.
   *
   * @param percent of the ephemeral range
   */
  public record EndpointUse(String localAddress, Endpoint remote, int count, double percent) {}

  /**
   * TIME_WAIT sockets of one destination (this side connected and closed first: {@code client}) or of
   * one local server port (this side accepted and closed first: {@code server}).
   */
  public record Group(String side, Endpoint endpoint, int count) {}

  /** A process and how many sockets (of a kind) it holds. */
  public record ProcessCount(ProcessInfo process, int count) {}

  /**
   * Something over its threshold.
   *
   * @param kind {@code time-wait}, {@code close-wait}, {@code ephemeral-ports}, {@code many-sockets}
   * @param warning one line for people
   * @param remedy what to do
   */
  public record Finding(String kind, int count, int threshold, String warning, String remedy, Optional<Long> pid,
      Optional<Endpoint> endpoint) {}

  /** Where findings start; the options of {@code stats} change them. */
  public record Thresholds(int timeWait, int closeWait, int ephemeralPercent, int socketsPerProcess, int top) {
    public static Thresholds defaults() {
      return new Thresholds(1000, 50, 50, 10_000, 10);
    }
  }
}
