package dev.portdoctor.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One process in a kill plan, with what identifies it (PID and start time, compared again right before
 * each signal) and, when it must not be ended, why.
 *
 * @param role {@code holder} (holds the socket), {@code descendant} (--tree), {@code parent} (--parent)
 * @param inode the socket it holds, re-checked before the signal (Linux)
 * @param refusal why it will not be ended; empty when it will be
 * @param refusalNeedsForce true when --force would lift the refusal (another user, a critical process)
 */
public record KillTarget(
    ProcessInfo process, String role, Optional<Instant> startTime, Optional<Long> inode,
    Optional<String> refusal, boolean refusalNeedsForce) {

  public long pid() {
    return process.pid();
  }
}
