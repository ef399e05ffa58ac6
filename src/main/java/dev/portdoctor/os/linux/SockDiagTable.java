package dev.portdoctor.os.linux;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Ipv6Text;
import dev.portdoctor.core.Log;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The socket tables through netlink sock_diag ({@link LinuxNative#sockets}), as the same rows that
 * {@link ProcNetParser} makes of {@code /proc/net/tcp}, {@code tcp6}, {@code udp} and {@code udp6}: the
 * same sockets (the kernel walks the same hash tables for both), the same states, addresses, uid and
 * inode. The kernel filters by state (LISTEN only: it walks its listening hash alone, not the
 * established one) and by local port (the bytecode {@code ss 'sport = :P'} uses), so a quiet port on a
 * busy machine costs a few milliseconds instead of a read of the whole table.
 *
 * <p>One difference is made up for here: for a connection still in its handshake (SYN_RECV, a request
 * socket) {@code /proc/net/tcp} prints the uid of the listener it came to, sock_diag prints 0. The row
 * gets the uid of the listener on its port, as {@code /proc} shows it; when the dump holds none (it
 * closed meanwhile) the uid is left unknown rather than guessed.
 */
final class SockDiagTable {
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int IPPROTO_TCP = 6;
  static final int IPPROTO_UDP = 17;

  /** Kernel states 1 (ESTABLISHED) to 12 (NEW_SYN_RECV): what /proc/net shows; not 13, TCP_BOUND_INACTIVE. */
  static final int ALL_STATES = 0x1FFE;
  private static final int TCP_LISTEN = 10;
  private static final int UDP_UNCONNECTED = 7; // TCP_CLOSE
  private static final int TCP_SYN_RECV = 3;

  /** More ranges than the library filters (PD_MAX_RANGES): the rows are filtered here alone. */
  private static final int MAX_KERNEL_RANGES = 16;

  private SockDiagTable() {}

  /**
   * Reads every table the query asks for, IPv4 before IPv6 per protocol (the order of the {@code /proc}
   * reader); null when a dump fails (no sock_diag in this kernel, a seccomp filter, an error): the caller
   * then reads {@code /proc/net}.
   */
  static List<SocketEntry> read(SocketQuery query) {
    List<SocketEntry> out = new ArrayList<>();
    int[] ranges = kernelRanges(query.ports());
    for (Protocol protocol : Protocol.values()) {
      if (!query.protocols().contains(protocol)) {
        continue;
      }
      boolean tcp = protocol == Protocol.TCP;
      int states = query.listeningOnly() ? 1 << (tcp ? TCP_LISTEN : UDP_UNCONNECTED) : ALL_STATES;
      int from = out.size();
      for (int family : new int[] {AF_INET, AF_INET6}) {
        int[] rows = LinuxNative.sockets(family, tcp ? IPPROTO_TCP : IPPROTO_UDP, states, ranges);
        if (rows == null || rows.length == 0 || rows[0] != 0) {
          int err = rows == null || rows.length == 0 ? 0 : -rows[0];
          if (Log.isDebug()) {
            Log.debug(SockDiagTable.class, "sock_diag dump of " + protocol + (family == AF_INET6 ? "6" : "")
                + " failed (errno " + err + "): reading /proc/net instead", null);
          }
          return null;
        }
        entries(protocol, family == AF_INET6, rows, query, out);
      }
      if (tcp && !query.listeningOnly()) {
        listenerUids(out, from);
      }
      if (Log.isDebug()) {
        Log.debug(SockDiagTable.class, protocol + " sockets through sock_diag (netlink, instead of /proc/net/"
            + (tcp ? "tcp" : "udp") + "): " + (out.size() - from) + " kept for ports " + query.ports()
            + (query.listeningOnly() ? ", listeners only" : ""), null);
      }
    }
    return out;
  }

  /** The port ranges for the kernel to filter, or null for every port (or too many ranges to bother). */
  static int[] kernelRanges(PortSet ports) {
    int[] r = ports.ranges();
    if (r.length == 0 || r.length > 2 * MAX_KERNEL_RANGES || (r.length == 2 && r[0] <= 1 && r[1] == PortSet.MAX_PORT)) {
      return null;
    }
    return r;
  }

  /**
   * Appends the rows of one dump ({@code rows[0]} is its status) that the query accepts, as {@link
   * ProcNetParser} would make them from the same sockets.
   */
  static void entries(Protocol protocol, boolean ipv6, int[] rows, SocketQuery query, List<SocketEntry> out) {
    int row = LinuxNative.ROW;
    for (int i = 1; i + row <= rows.length; i += row) {
      int st = rows[i];
      int localPort = rows[i + 1];
      int remotePort = rows[i + 2];
      SocketState state = protocol == Protocol.TCP ? SocketState.fromLinuxTcp(st) : SocketState.fromLinuxUdp(st);
      if (query != null && !query.accepts(protocol, localPort, state)) {
        continue;
      }
      String local = address(rows, i + 5, ipv6);
      String remote = address(rows, i + 9, ipv6);
      long inode = Integer.toUnsignedLong(rows[i + 4]);
      Optional<Endpoint> rem = remotePort == 0 && (remote.equals("0.0.0.0") || remote.equals("::"))
          ? Optional.empty() : Optional.of(new Endpoint(remote, remotePort));
      OptionalInt uid = OptionalInt.of(rows[i + 3]);
      if (protocol == Protocol.TCP && st == TCP_SYN_RECV && inode == 0) {
        uid = OptionalInt.empty(); // a request socket: sock_diag says 0; listenerUids fills in /proc's value
      }
      out.add(new SocketEntry(protocol, new Endpoint(local, localPort), rem, state, uid,
          inode == 0 ? OptionalLong.empty() : OptionalLong.of(inode), inode == 0 ? OwnerStatus.NONE : OwnerStatus.UNKNOWN,
          List.of()));
    }
  }

  /**
   * Gives each TCP request socket (SYN_RECV, no uid yet) from {@code from} on the uid of the listener on
   * its local port: one bound to its address, else to its family's wildcard, else the dual-stack {@code
   * ::} (an IPv4 handshake on an IPv6 listener is an IPv4 row).
   */
  static void listenerUids(List<SocketEntry> sockets, int from) {
    Map<Integer, List<SocketEntry>> listeners = null;
    for (int i = from; i < sockets.size(); i++) {
      SocketEntry s = sockets.get(i);
      if (s.state() != SocketState.SYN_RECV || s.uid().isPresent() || s.inode().isPresent()) {
        continue;
      }
      if (listeners == null) {
        listeners = new HashMap<>();
        for (int j = from; j < sockets.size(); j++) {
          SocketEntry l = sockets.get(j);
          if (l.state() == SocketState.LISTEN && l.uid().isPresent()) {
            listeners.computeIfAbsent(l.local().port(), k -> new ArrayList<>(1)).add(l);
          }
        }
      }
      SocketEntry best = null;
      int bestRank = Integer.MAX_VALUE;
      String mine = s.local().address();
      for (SocketEntry l : listeners.getOrDefault(s.local().port(), List.of())) {
        String a = l.local().address();
        int rank = a.equals(mine) || a.equals("::ffff:" + mine) ? 0
            : l.local().isIpv6() == s.local().isIpv6() && l.local().isWildcard() ? 1
            : a.equals("::") ? 2 : Integer.MAX_VALUE;
        if (rank < bestRank) {
          bestRank = rank;
          best = l;
        }
      }
      if (best != null) {
        sockets.set(i, new SocketEntry(s.protocol(), s.local(), s.remote(), s.state(), best.uid(), s.inode(),
            s.ownerStatus(), s.owners()));
      }
    }
  }

  /** An address of a row: 4 words from {@code at}, each 4 bytes in network order (IPv4: the first). */
  static String address(int[] rows, int at, boolean ipv6) {
    if (!ipv6) {
      int v = rows[at];
      return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }
    byte[] b = new byte[16];
    for (int w = 0; w < 4; w++) {
      int v = rows[at + w];
      b[4 * w] = (byte) (v >>> 24);
      b[4 * w + 1] = (byte) (v >>> 16);
      b[4 * w + 2] = (byte) (v >>> 8);
      b[4 * w + 3] = (byte) v;
    }
    return Ipv6Text.format(b);
  }
}
