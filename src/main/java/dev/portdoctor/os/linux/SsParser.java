package dev.portdoctor.os.linux;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Lines;
import dev.portdoctor.os.text.Numbers;
import dev.portdoctor.os.text.Prompts;
import dev.portdoctor.os.text.Row;
import dev.portdoctor.os.text.StateNames;
import dev.portdoctor.os.text.TableBuilder;
import dev.portdoctor.os.text.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses the socket list of iproute2 {@code ss}, run with numeric output: {@code ss -Htanup},
 * {@code ss -tulpen}, {@code ss -ltnp} (with {@code LC_ALL=C}). The header line is optional
 * ({@code -H} drops it), and so is the Netid column: {@code ss} prints it only when more than one
 * kind of socket is asked for, so output of {@code -t} or {@code -u} alone needs
 * {@link #SsParser(Protocol)} to say which protocol its rows are.
 *
 * <p>A row is {@code [Netid] State Recv-Q Send-Q Local:Port Peer:Port [extras]}. Addresses come as
 * {@code 0.0.0.0:22}, {@code [::]:22}, {@code [::ffff:127.0.0.1]:80}, {@code *:*}, and old versions
 * print IPv6 without brackets ({@code :::22}). What follows the peer is read by name, not position:
 * {@code users:(("nginx",pid=24795,fd=6),("nginx",pid=2157,fd=6))} lists every process holding the
 * socket (old versions: {@code ("sshd",1206,3)}); {@code -e} adds {@code uid:N} and {@code ino:N},
 * which become the entry's uid and inode.
 *
 * <p>Decisions, each pinned by a test:
 * <ul>
 *   <li>A {@code %name} after an address ({@code 127.0.0.53%lo:53}, {@code 0.0.0.0%virbr0:67}) is the
 *       device the socket is bound to, not part of the address, and is dropped; only a link-local IPv6
 *       address keeps it, as its zone ({@code fe80::1%eth0}), since it means nothing without one.
 *   <li>Process names are copied as {@code ss} prints them, between {@code ("} and {@code ",pid=}:
 *       {@code ss} does not escape quotes, commas or parentheses in them, and it cuts a name at its
 *       first {@code )} (it reads {@code /proc/PID/stat}), so {@code pd srv (a),"b"} shows as
 *       {@code pd srv (a}.
 *   <li>{@code *} as a local address is kept as {@code *} (old {@code ss} prints it for 0.0.0.0, new
 *       for a dual-stack ::), unless {@code -e} shows {@code v6only:}, which only IPv6 sockets have;
 *       then it is {@code ::}.
 *   <li>A peer of {@code *} port ({@code 0.0.0.0:*}, {@code [::]:*}, {@code *:*}) means no peer.
 *   <li>Without {@code users:} the owner is {@link OwnerStatus#NONE} when {@code ino:0} says no file
 *       refers to the socket, or the state is TIME_WAIT; otherwise {@link OwnerStatus#UNKNOWN}
 *       ({@code ss} run without {@code -p}, or by a user who may not see the owner).
 *   <li>TCP's {@code UNCONN} is TCP_CLOSE ({@link SocketState#CLOSE}); UDP's is an unconnected socket.
 *   <li>Rows of other socket kinds ({@code raw}, {@code u_str}, {@code nl}...) are left out without
 *       being counted; a local port of {@code *} holds no port and is left out the same way.
 * </ul>
 */
public final class SsParser {
  private static final Set<String> OTHER_NETIDS = Set.of("raw", "u_str", "u_dgr", "u_seq", "p_raw",
      "p_dgr", "nl", "mptcp", "sctp", "dccp", "tipc", "xdp", "v_str", "v_dgr", "icmp", "icmp6", "???");

  private final Protocol withoutNetid;

  /** A parser for output with a Netid column ({@code ss -tu...}); rows without one are skipped. */
  public SsParser() {
    this.withoutNetid = null;
  }

  /** A parser for output of {@code ss -t} or {@code ss -u} alone, whose rows have no Netid column. */
  public SsParser(Protocol withoutNetid) {
    this.withoutNetid = withoutNetid;
  }

  public ParsedTable parse(String text) {
    TableBuilder table = new TableBuilder(SsParser.class);
    List<String> lines = Lines.of(text);
    int width = Lines.terminalWidth(lines, 60);
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = Lines.unquote(lines.get(i));
      Tokens t = Tokens.of(line);
      if (t.count() == 0 || isHeader(t.get(0))) {
        continue;
      }
      // a row the terminal (or ss itself, at a narrow width) broke: the rest is on the next lines
      while (i + 1 < lines.size() && isRowStart(t.get(0)) && continues(lines.get(i), lines.get(i + 1), width)) {
        String next = lines.get(++i);
        line = lines.get(i - 1).length() == width && !next.startsWith(" ") ? line + next : line + " " + next.strip();
        t = Tokens.of(line);
      }
      if (!isRowStart(t.get(0)) && Prompts.isCommandLine(line)) {
        continue;
      }
      table.accept(row(t), lineNo, line);
    }
    return table.build();
  }

  /** The header, or its last word put on a line of its own when the terminal is narrow. */
  private static boolean isHeader(String first) {
    return first.equals("Netid") || first.equals("State") || first.equals("Process");
  }

  private boolean isRowStart(String first) {
    return first.equals("tcp") || first.equals("udp") || OTHER_NETIDS.contains(first)
        || (withoutNetid != null && StateNames.parse(first) != null);
  }

  /**
   * True when {@code next} goes on with the row on {@code line}: ss's own break before the process
   * column ({@code  users:((...))}, {@code  ino:...}), or a terminal's cut of a line that filled it.
   */
  private boolean continues(String line, String next, int width) {
    String n = next.strip();
    if (n.isEmpty()) {
      return false;
    }
    Tokens t = Tokens.of(n);
    if (isRowStart(t.get(0)) || isHeader(t.get(0))) {
      return false;
    }
    if (n.startsWith("users:(") || n.startsWith("ino:") || n.startsWith("uid:") || n.startsWith("timer:")
        || n.startsWith("sk:") || n.startsWith("cgroup:") || n.startsWith("v6only:") || n.startsWith("<->")) {
      return true;
    }
    return width > 0 && line.length() == width && !Prompts.isCommandLine(next);
  }

  private Row row(Tokens t) {
    String first = t.get(0);
    Protocol protocol;
    int at;
    if (first.equals("tcp")) {
      protocol = Protocol.TCP;
      at = 1;
    } else if (first.equals("udp")) {
      protocol = Protocol.UDP;
      at = 1;
    } else if (OTHER_NETIDS.contains(first)) {
      return Row.IGNORED;
    } else if (withoutNetid != null && StateNames.parse(first) != null) {
      protocol = withoutNetid;
      at = 0;
    } else {
      return Row.BAD;
    }
    if (t.count() < at + 5) {
      return Row.BAD;
    }
    SocketState state = StateNames.parse(t.get(at));
    if (state == null || Numbers.dec(t.get(at + 1)) < 0 || Numbers.dec(t.get(at + 2)) < 0) {
      return Row.BAD;
    }
    if (protocol == Protocol.TCP && state == SocketState.UNCONN) {
      state = SocketState.CLOSE;
    }
    Extras extras = Extras.read(t.line(), t.end(at + 4));
    if (extras == null) {
      return Row.BAD;
    }
    SsAddress local = SsAddress.parse(t.get(at + 3));
    SsAddress peer = SsAddress.parse(t.get(at + 4));
    if (local == null || peer == null) {
      return Row.BAD;
    }
    if (local.port < 0) {
      return Row.IGNORED;
    }
    String localAddress = local.address.equals("*") && extras.v6only ? "::" : local.address;
    Optional<Endpoint> remote = peer.port < 0 || (peer.port == 0 && peer.isWildcard())
        ? Optional.empty() : Optional.of(new Endpoint(peer.address, peer.port));
    OwnerStatus status = !extras.owners.isEmpty() ? OwnerStatus.KNOWN
        : extras.inode == 0 || state == SocketState.TIME_WAIT ? OwnerStatus.NONE : OwnerStatus.UNKNOWN;
    return Row.of(new SocketEntry(protocol, new Endpoint(localAddress, local.port), remote, state,
        extras.uid < 0 ? OptionalInt.empty() : OptionalInt.of((int) extras.uid),
        extras.inode <= 0 ? OptionalLong.empty() : OptionalLong.of(extras.inode), status, extras.owners));
  }

  /** What {@code ss} prints after the peer: processes ({@code -p}) and socket details ({@code -e}). */
  private static final class Extras {
    final List<Owner> owners = new ArrayList<>();
    long uid = -1;
    long inode = -1;
    boolean v6only;

    /** Reads {@code line} from {@code from}; null when a {@code users:} list is there but broken. */
    static Extras read(String line, int from) {
      Extras x = new Extras();
      String rest = line.substring(from);
      int users = rest.indexOf("users:((");
      if (users >= 0) {
        int end = UsersList.read(rest, users + 6, x.owners);
        if (end < 0) {
          return null;
        }
        rest = rest.substring(0, users) + " " + rest.substring(end);
      }
      Tokens t = Tokens.of(rest);
      for (int i = 0; i < t.count(); i++) {
        String f = t.get(i);
        if (f.startsWith("uid:")) {
          x.uid = Numbers.dec(f, 4, f.length());
        } else if (f.startsWith("ino:")) {
          x.inode = Numbers.dec(f, 4, f.length());
        } else if (f.startsWith("v6only:")) {
          x.v6only = true;
        }
      }
      if (x.uid > Integer.MAX_VALUE) {
        x.uid = -1;
      }
      return x;
    }
  }
}
