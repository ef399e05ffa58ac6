package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;

/**
 * A socket and the processes that hold it, in tree order (each holder before the holders it started).
 *
 * @param commonAncestor with several holders, the nearest process that all of them descend from
 * @param note why no holder is shown, when none is (TIME_WAIT, another user's process...)
 */
public record SocketReport(
    SocketEntry socket, List<Holder> holders, Optional<ProcessInfo> commonAncestor, Optional<String> note) {
  public SocketReport {
    holders = List.copyOf(holders);
  }
}
