package dev.portdoctor.core;

import java.util.Optional;
import java.util.OptionalInt;

/** Facts about the machine that explain why a bind fails. */
public interface SystemFacts {

  /** True when this process may bind privileged ports and see every process (root). */
  boolean isPrivileged();

  /** Linux {@code net.ipv4.ip_unprivileged_port_start}; 1024 on other Unix systems; empty on Windows. */
  OptionalInt unprivilegedPortStart();

  /** True when the machine has IPv6 (a {@code ::} socket can be opened). */
  boolean hasIpv6();

  /**
   * True where servers commonly set SO_REUSEADDR before they bind (Linux, macOS, BSD), so a trial bind
   * does too. False on Windows, where SO_REUSEADDR would let a bind steal a port in use.
   */
  default boolean serversReuseAddress() {
    return true;
  }

  /**
   * The range the OS picks ephemeral (client) ports from: Linux {@code net.ipv4.ip_local_port_range},
   * macOS/BSD {@code net.inet.ip.portrange.first/last}, Windows' dynamic range (49152-65535 by default).
   * A server port taken from it can collide with an outgoing connection, so {@code free} avoids it.
   * Empty when unknown.
   */
  default Optional<PortRange> ephemeralPortRange() {
    return Optional.empty();
  }
}
