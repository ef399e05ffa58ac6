package dev.portdoctor.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One process in a kill plan, with what identifies it (PID and start time, compared again right before
 * each signal) and, when it must not be ended, why.
 *
 * @param role {@code holder} (holds the socket), {@code master} (made the socket and handed it to
 *     workers, though this user cannot see that it holds it), {@code descendant} (--tree),
 *     {@code parent} (--parent)
 * @param inode the socket it holds, re-checked before the signal (Linux)
 * @param refusal why it will not be ended; empty when it will be
 * @param refusalNeedsForce true when --force would lift the refusal (a critical process, a container's
 *     port forwarder)
 * @param master the PID of the holder at the top of the tree this process belongs to (its master: nginx,
 *     httpd, php-fpm, a shell that started workers), which is asked to stop first; empty for that
 *     holder itself and for a {@code --parent}
 */
public record KillTarget(
    ProcessInfo process, String role, Optional<Instant> startTime, Optional<Long> inode,
    Optional<String> refusal, boolean refusalNeedsForce, Optional<Long> master) {

  /** A target at the top of its own tree (a holder with no holder above it, or a parent). */
  public KillTarget(ProcessInfo process, String role, Optional<Instant> startTime, Optional<Long> inode,
      Optional<String> refusal, boolean refusalNeedsForce) {
    this(process, role, startTime, inode, refusal, refusalNeedsForce, Optional.empty());
  }

  /** The same target as a member of the tree under {@code masterPid}. */
  KillTarget under(long masterPid) {
    return new KillTarget(process, role, startTime, inode, refusal, refusalNeedsForce, Optional.of(masterPid));
  }

  public long pid() {
    return process.pid();
  }
}
