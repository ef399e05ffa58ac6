package dev.portdoctor.os.oshi;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Ipv6Text;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.core.SocketState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import oshi.SystemInfo;
import oshi.software.os.InternetProtocolStats.IPConnection;
import oshi.software.os.InternetProtocolStats.TcpState;

/**
 * The native socket table through OSHI: GetExtendedTcpTable/GetExtendedUdpTable on Windows, libproc on
 * macOS (no subprocess, no dependence on the display language). OSHI's sentinels are turned into empty
 * values here: an owning PID of -1 (or 0, the Windows idle process) is "no owner". Only this package
 * imports OSHI.
 */
public final class OshiSocketSource implements SocketSource {

  @Override
  public String name() {
    return "native";
  }

  @Override
  public List<SocketEntry> snapshot(SocketQuery query) {
    List<IPConnection> all;
    try {
      all = new SystemInfo().getOperatingSystem().getInternetProtocolStats().getConnections();
    } catch (RuntimeException | LinkageError e) {
      // JNA cannot load (restricted environment, no native library): the caller falls back
      throw new PortDoctorException(PortDoctorException.INTERNAL,
          "the native socket table is not available here (" + e + "); try --source netstat", e);
    }
    List<SocketEntry> out = new ArrayList<>();
    for (IPConnection c : all) {
      toEntry(c).filter(e -> query.accepts(e.protocol(), e.local().port(), e.state())).ifPresent(out::add);
    }
    return out;
  }

  /** One OSHI connection as a socket entry; empty for a type that is neither TCP nor UDP. */
  static Optional<SocketEntry> toEntry(IPConnection c) {
    String type = c.getType() == null ? "" : c.getType();
    Protocol protocol;
    if (type.startsWith("tcp")) {
      protocol = Protocol.TCP;
    } else if (type.startsWith("udp")) {
      protocol = Protocol.UDP;
    } else {
      return Optional.empty();
    }
    Optional<String> local = address(c.getLocalAddress(), type.endsWith("6"));
    Optional<String> remote = address(c.getForeignAddress(), type.endsWith("6"));
    if (local.isEmpty() || c.getLocalPort() < 0 || c.getLocalPort() > 65535) {
      return Optional.empty();
    }
    SocketState state = protocol == Protocol.UDP
        ? (c.getForeignPort() > 0 ? SocketState.ESTABLISHED : SocketState.UNCONN)
        : state(c.getState());
    Optional<Endpoint> rem = remote.isEmpty() || (c.getForeignPort() == 0 && isWildcard(remote.get()))
        ? Optional.empty() : Optional.of(new Endpoint(remote.get(), Math.max(0, Math.min(65535, c.getForeignPort()))));
    int pid = c.getowningProcessId();
    List<Owner> owners = pid > 0 ? List.of(Owner.of(pid)) : List.of();
    OwnerStatus status = pid > 0 ? OwnerStatus.KNOWN
        : state == SocketState.TIME_WAIT || pid == 0 ? OwnerStatus.NONE : OwnerStatus.UNKNOWN;
    return Optional.of(new SocketEntry(protocol, new Endpoint(local.get(), c.getLocalPort()), rem, state,
        OptionalInt.empty(), OptionalLong.empty(), status, owners));
  }

  private static boolean isWildcard(String a) {
    return a.equals("0.0.0.0") || a.equals("::");
  }

  /** OSHI gives 4 or 16 bytes; an empty array is the wildcard of the socket's family. */
  static Optional<String> address(byte[] b, boolean v6) {
    if (b == null || b.length == 0) {
      return Optional.of(v6 ? "::" : "0.0.0.0");
    }
    if (b.length == 4) {
      return Optional.of((b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff));
    }
    if (b.length == 16) {
      return Optional.of(Ipv6Text.format(b));
    }
    return Optional.empty();
  }

  static SocketState state(TcpState s) {
    if (s == null) {
      return SocketState.UNKNOWN;
    }
    return switch (s) {
      case LISTEN -> SocketState.LISTEN;
      case ESTABLISHED -> SocketState.ESTABLISHED;
      case SYN_SENT -> SocketState.SYN_SENT;
      case SYN_RECV -> SocketState.SYN_RECV;
      case FIN_WAIT_1 -> SocketState.FIN_WAIT1;
      case FIN_WAIT_2 -> SocketState.FIN_WAIT2;
      case CLOSE_WAIT -> SocketState.CLOSE_WAIT;
      case CLOSING -> SocketState.CLOSING;
      case LAST_ACK -> SocketState.LAST_ACK;
      case TIME_WAIT -> SocketState.TIME_WAIT;
      case CLOSED -> SocketState.CLOSE;
      default -> SocketState.UNKNOWN;
    };
  }
}
