package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One socket of a socket table. Unknown values are empty, never {@code -1} or {@code 0}.
 *
 * @param uid the owning user id, where the source tells it (Linux {@code /proc/net})
 * @param inode the socket inode (Linux), which maps the socket to the processes holding it
 */
public record SocketEntry(
    Protocol protocol,
    Endpoint local,
    Optional<Endpoint> remote,
    SocketState state,
    OptionalInt uid,
    OptionalLong inode,
    OwnerStatus ownerStatus,
    List<Owner> owners) {

  public SocketEntry {
    owners = List.copyOf(owners);
  }

  /** The same socket with its owners resolved. */
  public SocketEntry withOwners(OwnerStatus status, List<Owner> newOwners) {
    return new SocketEntry(protocol, local, remote, state, uid, inode, status, newOwners);
  }
}
