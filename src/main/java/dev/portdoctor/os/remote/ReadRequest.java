package dev.portdoctor.os.remote;

import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one remote read brings back, in one ssh call: the socket table (filtered on the host by port
 * when the set is small), the process facts, the kernel settings, and for {@code check} the trial binds.
 *
 * @param ports the ports asked about ({@link PortSet#all()} for list and stats)
 * @param listeningOnly only LISTEN and unconnected UDP sockets
 * @param probe the trial binds to make on the host, for {@code check}
 */
public record ReadRequest(Set<Protocol> protocols, PortSet ports, boolean listeningOnly, Optional<Probe> probe) {

  public ReadRequest {
    protocols = Set.copyOf(protocols);
  }

  /**
   * Trial binds on the host.
   *
   * @param addresses IP literals to bind; the wildcards and loopbacks when empty
   */
  public record Probe(Protocol protocol, List<String> addresses) {
    public Probe {
      addresses = List.copyOf(addresses);
    }
  }
}
