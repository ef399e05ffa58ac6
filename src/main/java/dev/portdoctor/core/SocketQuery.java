package dev.portdoctor.core;

import java.util.Set;

/**
 * What to read from a socket table.
 *
 * @param protocols TCP, UDP or both
 * @param ports only sockets whose local port is in this set
 * @param listeningOnly only LISTEN (TCP) and unconnected (UDP) sockets
 * @param resolveOwners map each socket to the processes that hold it (costs a walk of every process's
 *     file descriptors on Linux)
 */
public record SocketQuery(
    Set<Protocol> protocols, PortSet ports, boolean listeningOnly, boolean resolveOwners) {

  public SocketQuery {
    protocols = Set.copyOf(protocols);
  }

  /** True when the table row passes this query's filters (owners aside). */
  public boolean accepts(Protocol protocol, int localPort, SocketState state) {
    return protocols.contains(protocol)
        && ports.contains(localPort)
        && (!listeningOnly || state.isListening());
  }
}
