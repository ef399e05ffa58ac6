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
import dev.portdoctor.os.text.StateNames;
import dev.portdoctor.os.text.TableBuilder;
import dev.portdoctor.os.text.Tokens;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses lsof's default output, the column table people paste ({@code lsof -i}, {@code lsof -i :8080},
 * {@code lsof -nP -iTCP -sTCP:LISTEN}), on macOS, Linux and the BSDs:
 *
 * <pre>
 * COMMAND    PID USER   FD   TYPE             DEVICE SIZE/OFF NODE NAME
 * ControlCe 1081 d    7u  IPv4 0x4dfbc9201515d62b      0t0  TCP *:commplex-main (LISTEN)
 * </pre>
 *
 * <p>lsof's columns depend on its options ({@code +c 0} widens COMMAND, Linux adds TID and TASKCMD,
 * {@code -R} PPID, {@code +L} NLINK, {@code -s} turns SIZE/OFF into SIZE) and a row may have reached
 * us through {@code grep}, without the header. So a row is read by the shape of its words, which is
 * the same in every variant: COMMAND first, PID second, then, after the other process columns, TYPE
 * ({@code IPv4}/{@code IPv6}), DEVICE and SIZE/OFF (either may be blank), NODE ({@code TCP}/{@code UDP})
 * and NAME, the rest of the line: {@code LOCAL[->PEER] [(STATE)]}. The header is recognized and
 * needed for nothing. A line without an {@code IPv4}/{@code IPv6} word after the PID is not a socket
 * row (a prompt, lsof's warnings, a regular file of {@code lsof -p}) and is left out without a note, as
 * is a row whose NODE is another protocol ({@code RAW}, {@code ICMP}).
 *
 * <p>The NAME column is read as in {@link LsofParser} (the same code): {@code *} is {@code 0.0.0.0} or
 * {@code ::} by TYPE, an IPv4 address on an {@code IPv6} file is v4-mapped, zones are kept
 * ({@code [fe80::1%lo0]:5353}), host names stay names, service names (without {@code -P}) are mapped
 * through {@code ServiceNames}.
 *
 * <p>Decisions, each pinned by a test:
 * <ul>
 *   <li>COMMAND is what lsof printed: cut at 9 characters unless {@code +c} said otherwise, with
 *       {@code \x20}-style escapes for blanks and other bytes. Escapes of printable characters are
 *       undone ({@code pd\x20web} is {@code pd web}); an escape cut by the 9-character limit is dropped.
 *   <li>A row with a service name not in the table, a host that is not a name or an address, or no PID
 *       is skipped with a note saying which; a row whose local port is {@code *} (a socket bound to no
 *       port yet) is skipped with a note too, since it holds no port.
 *   <li>UDP has no state: UNCONN without a peer, ESTABLISHED with one. A TCP row without
 *       {@code (STATE)} or with a word no table knows is kept as UNKNOWN and noted as read in part.
 *   <li>Words between the address and {@code (STATE)} ({@code lsof -E} prints the peer's
 *       {@code PID,COMMAND,FD} there) are not read: the row is kept and noted as read in part.
 *   <li>USER is a login name (or a uid with {@code -l}, which cannot be told from an all-digit login):
 *       no uid is read from it.
 * </ul>
 */
public final class LsofTableParser {
  /** TYPE and NODE are at most this many words apart (DEVICE, SIZE/OFF, NLINK between them). */
  private static final int MAX_NODE_GAP = 4;

  private LsofTableParser() {}

  public static ParsedTable parse(String text) {
    TableBuilder table = new TableBuilder(LsofTableParser.class);
    List<String> lines = Lines.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    for (int i = 0; i < lines.size(); i++) {
      line(lines.get(i), i + 1, table);
    }
    return table.build();
  }

  /** True for a header line: {@code COMMAND PID ... NAME}. */
  public static boolean isHeader(String line) {
    Tokens t = Tokens.of(line);
    return t.count() >= 4 && t.get(0).equals("COMMAND") && t.get(1).equals("PID")
        && t.get(t.count() - 1).equals("NAME");
  }

  /**
   * The index of the TYPE word of a socket row, or -1 when the line is not one: an {@code IPv4} or
   * {@code IPv6} word after COMMAND and PID with a NODE word at most {@link #MAX_NODE_GAP} words after it.
   */
  static int typeIndex(Tokens t) {
    for (int k = 2; k < t.count() - 1; k++) {
      String w = t.get(k);
      if ((w.equals("IPv4") || w.equals("IPv6")) && nodeIndex(t, k) > 0) {
        return k;
      }
    }
    return -1;
  }

  /** True for a line that reads as a row of the table (for format detection without a header). */
  public static boolean isSocketRow(String line) {
    Tokens t = Tokens.of(line);
    int k = typeIndex(t);
    return k > 0 && Numbers.dec(t.get(1)) > 0;
  }

  /** The NODE word after TYPE: the first all-capital protocol word ({@code TCP}, {@code UDP}, {@code RAW}). */
  private static int nodeIndex(Tokens t, int type) {
    for (int j = type + 1; j <= type + MAX_NODE_GAP && j < t.count(); j++) {
      if (isProtocolWord(t.get(j))) {
        return j;
      }
    }
    return -1;
  }

  private static boolean isProtocolWord(String w) {
    if (w.length() < 2 || w.length() > 8) {
      return false;
    }
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  private static void line(String line, int lineNo, TableBuilder table) {
    Tokens t = Tokens.of(line);
    if (t.count() < 4 || isHeader(line)) {
      return;
    }
    int type = typeIndex(t);
    if (type < 0) {
      return; // not a socket row: a prompt, a warning, a file of another type
    }
    int node = nodeIndex(t, type);
    String proto = t.get(node);
    if (!proto.equals("TCP") && !proto.equals("UDP")) {
      return; // RAW, ICMP...: not a TCP or UDP socket
    }
    long pid = Numbers.dec(t.get(1));
    if (pid <= 0) {
      table.skip(lineNo, line, "no PID in the second column");
      return;
    }
    if (node + 1 >= t.count()) {
      table.skip(lineNo, line, "no NAME column");
      return;
    }
    String typeWord = t.get(type);
    String name = line.substring(t.start(node + 1)).strip();
    String stateWord = null;
    int paren = name.lastIndexOf(" (");
    if (name.endsWith(")") && paren > 0) {
      stateWord = name.substring(paren + 2, name.length() - 1);
      name = name.substring(0, paren).strip();
    }
    boolean extra = false;
    int blank = name.indexOf(' ');
    if (blank > 0) {
      name = name.substring(0, blank); // lsof -E: the peer's "PID,COMMAND,FD" words follow the name
      extra = true;
    }
    int arrow = name.indexOf("->");
    String localText = arrow < 0 ? name : name.substring(0, arrow);
    LsofName local = LsofName.parse(localText, typeWord);
    if (local == null) {
      table.skip(lineNo, line, problem(localText));
      return;
    }
    LsofName peer = null;
    if (arrow >= 0) {
      String peerText = name.substring(arrow + 2);
      peer = LsofName.parse(peerText, typeWord);
      if (peer == null) {
        table.skip(lineNo, line, problem(peerText));
        return;
      }
    }
    if (local.port < 0) {
      table.skip(lineNo, line, "bound to no port (" + localText + ")");
      return;
    }
    Protocol protocol = proto.equals("TCP") ? Protocol.TCP : Protocol.UDP;
    Optional<Endpoint> remote = peer == null || peer.port < 0
        ? Optional.empty() : Optional.of(new Endpoint(peer.address, peer.port));
    SocketState state;
    if (protocol == Protocol.UDP) {
      state = remote.isEmpty() ? SocketState.UNCONN : SocketState.ESTABLISHED;
    } else if (stateWord == null) {
      state = SocketState.UNKNOWN;
      table.partial(lineNo, line, "no TCP state");
    } else {
      SocketState s = StateNames.parse(stateWord);
      state = s == null || s == SocketState.UNCONN ? SocketState.UNKNOWN : s;
      if (s == null) {
        table.partial(lineNo, line, "unknown TCP state '" + stateWord + "'");
      }
    }
    if (extra) {
      table.partial(lineNo, line, "words after the address not read (lsof -E endpoint details?)");
    }
    String command = unescape(t.get(0));
    table.add(new SocketEntry(protocol, new Endpoint(local.address, local.port), remote, state,
        OptionalInt.empty(), OptionalLong.empty(), OwnerStatus.KNOWN,
        List.of(new Owner(pid, Optional.of(command)))));
  }

  /** Why one side of NAME could not be read. */
  private static String problem(String side) {
    int colon = side.lastIndexOf(':');
    if (colon > 0 && colon < side.length() - 1) {
      String port = side.substring(colon + 1);
      if (!port.equals("*") && Numbers.port(port) < 0 && !Numbers.isDigits(port)) {
        String host = side.substring(0, colon);
        if (LsofName.parse(host + ":0", "IPv4") != null || LsofName.parse(host + ":0", "IPv6") != null) {
          return "unknown service name '" + Lines.excerpt(port) + "' (lsof without -P; run it with -P)";
        }
      }
    }
    return "cannot read the address '" + Lines.excerpt(side) + "'";
  }

  /**
   * lsof's {@code \xNN} escapes of printable ASCII undone; any other text kept as printed, except an
   * escape cut off at the end ({@code \}, {@code \x}, {@code \x2}: lsof cuts the escaped text at 9
   * characters), which is dropped, so that the name stays a true prefix of the process's name.
   */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    int tail = s.lastIndexOf('\\');
    if (tail >= s.length() - 3 && (tail == s.length() - 1 || s.charAt(tail + 1) == 'x')
        && (tail + 2 >= s.length() || hex(s.charAt(tail + 2)) >= 0)) {
      s = s.substring(0, tail);
    }
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && i + 4 <= s.length() && s.charAt(i + 1) == 'x') {
        int hi = hex(s.charAt(i + 2));
        int lo = hex(s.charAt(i + 3));
        int v = hi * 16 + lo;
        if (hi >= 0 && lo >= 0 && v >= 0x20 && v < 0x7f) {
          b.append((char) v);
          i += 4;
          continue;
        }
      }
      b.append(c);
      i++;
    }
    return b.toString();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
