package dev.portdoctor.core;

import java.util.Optional;
import java.util.OptionalInt;

/** Facts about the machine that explain why a bind fails. */
public interface SystemFacts {

  /** True when this process may bind privileged ports and see every process (root). */
  boolean isPrivileged();

  /** True when this process may bind ports below {@link #unprivilegedPortStart()} (root, CAP_NET_BIND_SERVICE). */
  default boolean canBindPrivilegedPorts() {
    return isPrivileged();
  }

  /** Ports the OS never hands out as ephemeral ones (Linux {@code ip_local_reserved_ports}). */
  default java.util.List<PortRange> reservedPorts() {
    return java.util.List.of();
  }

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
   * The range reserved by the OS that holds the port, where binds fail although no process holds it
   * (Windows excluded port ranges: Hyper-V, WSL, WinNAT, Docker).
   */
  default java.util.Optional<PortRange> excludedRange(Protocol protocol, int port) {
    return java.util.Optional.empty();
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

  /**
   * A kernel setting by its sysctl name ({@code net.ipv4.ip_local_port_range}), as text; empty where the
   * OS has no such setting or it cannot be read.
   */
  default java.util.Optional<String> kernelSetting(String name) {
    return java.util.Optional.empty();
  }
}
