package dev.portdoctor.os.mac;

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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses macOS {@code netstat} socket lists. The commands it expects are
 *
 * <pre>LC_ALL=C netstat -anv -p tcp
 * LC_ALL=C netstat -anv -p udp</pre>
 *
 * <p>({@code -a}: listeners too; {@code -n}: numbers, not names; {@code -v}: the process column).
 * Plain {@code netstat -an} is read as well, without owners, and so is {@code netstat -anv} without
 * {@code -p}, whose later sections (Multipath, UNIX domain, kernel sockets) are ignored.
 *
 * <p>A row is {@code Proto Recv-Q Send-Q Local Foreign (state) ... process ...}, with protocols
 * {@code tcp4 tcp6 tcp46 udp4 udp6 udp46} and addresses whose port follows the last dot
 * ({@code 127.0.0.1.8080}, {@code *.8080}, {@code ::1.8080}). UDP rows leave the state blank. Which
 * column holds the process is read from the header ({@link BsdNetstatLayout}): a bare {@code pid} up
 * to macOS 15, {@code name:pid} from macOS 26, where the name is found by counting the header's columns
 * after it from the end of the row, since it may hold spaces ({@code Autodesk Fusion:22712}).
 *
 * <p>Decisions, each pinned by a test:
 * <ul>
 *   <li>{@code *} as a local address is {@code 0.0.0.0} for {@code tcp4}/{@code udp4} and {@code ::}
 *       for {@code tcp6}/{@code tcp46} (a dual-stack socket is an IPv6 socket, as on Linux).
 *   <li>A TIME_WAIT row has no owner ({@link OwnerStatus#NONE}) although macOS prints the PID of the
 *       process that last had it: that process closed the socket and killing it frees nothing.
 *   <li>PID 0 ({@code kernel_task:0}, or an old row without a PID) is the kernel: {@link OwnerStatus#NONE}.
 *   <li>A UDP row is {@code UNCONN} without a peer, ESTABLISHED with one.
 *   <li>Without {@code -n}: a service name is read as its port ({@code *.ssh}), {@code localhost} as
 *       127.0.0.1 ({@code ::1} for {@code tcp6}); a row with any other host name is named and skipped.
 *   <li>A line whose first word is not a protocol (a prompt and command) is not a row, and not counted.
 *   <li>{@code *.*} as the local address (a UDP socket not bound yet) holds no port and is left out,
 *       uncounted, as are protocols other than TCP and UDP ({@code icm6}).
 * </ul>
 */
public final class BsdNetstatParser {
  private static final Set<String> OTHER_PROTOCOLS =
      Set.of("icm4", "icm6", "icmp", "icmp6", "raw", "raw4", "raw6", "ip", "ip4", "ip6", "divert");

  private BsdNetstatParser() {}

  public static ParsedTable parse(String text) {
    TableBuilder table = new TableBuilder(BsdNetstatParser.class);
    List<String> lines = Lines.of(text);
    BsdNetstatLayout layout = BsdNetstatLayout.NO_PID;
    boolean inInternet = true;
    List<Integer> prose = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("Active ") || line.startsWith("Registered ")) {
        inInternet = line.startsWith("Active Internet connections");
        continue;
      }
      Tokens t = Tokens.of(line);
      if (!inInternet || t.count() == 0) {
        continue;
      }
      if (t.get(0).equals("Proto")) {
        layout = BsdNetstatLayout.of(t);
        continue;
      }
      String first = t.get(0);
      if (!first.startsWith("tcp") && !first.startsWith("udp") && !OTHER_PROTOCOLS.contains(first)) {
        if (!Prompts.isCommandLine(line) && prose.size() < ParsedTable.MAX_NOTES) {
          prose.add(i); // named only if no row is read at all
        }
        continue; // a prompt and command (host:dir user$ netstat -anv), or other prose: not a row
      }
      table.accept(row(t, layout), i + 1, line);
    }
    if (table.entryCount() == 0) {
      for (int i : prose) {
        table.skip(i + 1, lines.get(i), "not a netstat row");
      }
    }
    return table.build();
  }

  private static Row row(Tokens t, BsdNetstatLayout layout) {
    String proto = t.get(0);
    if (OTHER_PROTOCOLS.contains(proto)) {
      return Row.IGNORED;
    }
    Protocol protocol = proto.startsWith("tcp") ? Protocol.TCP : proto.startsWith("udp") ? Protocol.UDP : null;
    String family = proto.length() > 3 ? proto.substring(3) : "";
    if (protocol == null || !(family.isEmpty() || family.equals("4") || family.equals("6") || family.equals("46"))
        || t.count() < 5 || Numbers.dec(t.get(1)) < 0 || Numbers.dec(t.get(2)) < 0) {
      return Row.BAD;
    }
    BsdAddress local = BsdAddress.parse(t.get(3), family);
    BsdAddress foreign = BsdAddress.parse(t.get(4), family);
    if (local == null) {
      return Row.bad("local address '" + Lines.excerpt(t.get(3)) + "' is not an address and port (without -n: a host "
          + "name, cut to its column)");
    }
    if (foreign == null) {
      return Row.bad("remote end '" + Lines.excerpt(t.get(4)) + "' is not an address and port (without -n: a host name, "
          + "cut to its column)");
    }
    if (local.port < 0) {
      return Row.IGNORED;
    }
    int at = 5;
    SocketState state = at < t.count() ? StateNames.parse(t.get(at)) : null;
    if (state != null) {
      at++;
    }
    Optional<Endpoint> remote = foreign.port < 0 || (foreign.port == 0 && foreign.isWildcard())
        ? Optional.empty() : Optional.of(new Endpoint(foreign.address, foreign.port));
    if (protocol == Protocol.UDP) {
      state = remote.isEmpty() ? SocketState.UNCONN : SocketState.ESTABLISHED;
    } else if (state == null || state == SocketState.UNCONN) {
      state = SocketState.UNKNOWN;
    }
    Owner owner = null;
    OwnerStatus status = OwnerStatus.UNKNOWN;
    if (layout.hasPid) {
      owner = BsdProcessColumn.read(t, at, layout);
      if (owner == null) {
        return Row.BAD;
      }
      status = owner.pid() > 0 ? OwnerStatus.KNOWN : OwnerStatus.NONE;
    }
    if (state == SocketState.TIME_WAIT) {
      status = OwnerStatus.NONE;
    }
    return Row.of(new SocketEntry(protocol, new Endpoint(local.address, local.port), remote, state,
        OptionalInt.empty(), OptionalLong.empty(), status,
        status == OwnerStatus.KNOWN ? List.of(owner) : List.of()));
  }
}
