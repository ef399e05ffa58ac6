package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;

/**
 * The result of {@code kill} for one port.
 *
 * @param holders the sockets and holders found before anything was done
 * @param plan the processes to end, in order
 * @param outcomes what happened to each (empty when nothing was done)
 * @param freeAfter whether a trial bind succeeded afterwards (empty when not tried: dry run, refused)
 * @param respawn a process that bound the port again after the kill, with what started it
 * @param message one sentence for people: the verdict
 */
public record KillReport(
    int port,
    Protocol protocol,
    Status status,
    List<SocketReport> holders,
    List<KillTarget> plan,
    List<KillOutcome> outcomes,
    Optional<Boolean> freeAfter,
    Optional<Respawn> respawn,
    String message) {

  public KillReport {
    holders = List.copyOf(holders);
    plan = List.copyOf(plan);
    outcomes = List.copyOf(outcomes);
  }

  /** The overall answer, which the CLI maps to an exit code. */
  public enum Status {
    FREED("freed"),
    NOTHING_HELD("nothing-held"),
    PLANNED("planned"),
    DENIED("denied"),
    STILL_BUSY("still-busy");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * A process that holds the port again after the kill.
   *
   * @param holder the new holder, with its parent chain
   * @param unit the systemd unit it runs in, if any
   * @param remedy what to do instead
   */
  public record Respawn(Holder holder, Optional<String> unit, String remedy) {}
}
