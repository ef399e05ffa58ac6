package dev.portdoctor.os.linux;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Ipv6Text;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Lines;
import dev.portdoctor.os.text.Prompts;
import dev.portdoctor.os.text.TableBuilder;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses the kernel's socket tables {@code /proc/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6}.
 *
 * <p>A row reads {@code sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...}. Addresses are
 * hex dumps of the kernel's {@code __be32} words printed as host-endian integers, so on a little-endian
 * machine {@code 0100007F} is 127.0.0.1 (psutil's {@code decode_address}: {@code "0500000A:0016" ->
 * ("10.0.0.5", 22)}); an IPv6 address is four such words, each byte-swapped on its own. Ports are plain
 * hex. The parser is pure: it never reads a file, so every case is pinned with captured text.
 *
 * <p>It works on bytes and filters each row by protocol, port and state before it allocates anything,
 * because a busy machine has tens of thousands of rows and most are not wanted.
 */
public final class ProcNetParser {
  private final Protocol protocol;
  private final boolean ipv6;
  private final boolean littleEndian;

  /**
   * @param byteOrder the byte order of the machine that printed the table
   */
  public ProcNetParser(Protocol protocol, boolean ipv6, ByteOrder byteOrder) {
    this.protocol = protocol;
    this.ipv6 = ipv6;
    this.littleEndian = byteOrder == ByteOrder.LITTLE_ENDIAN;
  }

  /** A parser for this machine's byte order. */
  public static ProcNetParser forThisMachine(Protocol protocol, boolean ipv6) {
    return new ProcNetParser(protocol, ipv6, ByteOrder.nativeOrder());
  }

  /**
   * Parses a whole table as people paste it, keeping every row: besides the table itself it reads
   * {@code cat /proc/net/tcp} and prompt lines (left out), {@code grep}'s {@code /proc/net/tcp6:}
   * prefix (which names the table of the row after it), and rows a terminal wrapped onto several
   * lines (joined back; where a line filled the terminal's whole width, the next one goes on in the
   * middle of a word). A row's table decides its protocol and address size when its prefix names it;
   * else this parser's protocol, and the size of the local address, do.
   */
  public ParsedTable parse(String text) {
    TableBuilder table = new TableBuilder(ProcNetParser.class);
    List<String> lines = Lines.of(text);
    int width = Lines.terminalWidth(lines, 60);
    List<SocketEntry> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      if (raw.isBlank() || Prompts.isCommandLine(raw)) {
        continue;
      }
      int lineNo = i + 1;
      String file = grepFile(raw);
      String line = withoutGrepPrefix(raw);
      out.clear();
      int r = parsePasted(file, line, out);
      // a row the terminal wrapped: once joining the next lines makes it whole, the lines after that
      // which still fit go with it too (its last fields), at most 4 lines in all
      String joined = line;
      int used = 0;
      for (int k = 1; r != OK && k <= 4 && i + k < lines.size() && isContinuation(lines.get(i + k)); k++) {
        joined += (lines.get(i + k - 1).length() == width ? "" : " ") + lines.get(i + k);
        List<SocketEntry> tried = new ArrayList<>();
        int rj = parsePasted(file, joined, tried);
        if (rj != BAD) {
          line = joined;
          out.clear();
          out.addAll(tried);
          used = k;
        } else if (used > 0) {
          break;
        }
        if (used > 0 && (i + k + 1 >= lines.size() || !isContinuation(lines.get(i + k + 1)))) {
          break;
        }
      }
      if (used > 0) {
        r = out.isEmpty() ? IGNORED : OK;
        i += used;
      }
      if (r == BAD) {
        table.skip(lineNo, line, "not a /proc/net row: sl, local and remote hex address:port, st, queues, "
            + "timers, uid, timeout, inode");
      } else {
        out.forEach(table::add);
      }
    }
    return table.build();
  }

  private int parsePasted(String file, String line, List<SocketEntry> out) {
    byte[] b = line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return forRow(file, b).parseRow(b, 0, b.length, null, out);
  }

  /** A line that goes on with the row above it: not blank, not a new row ({@code 12:}), no prompt. */
  private static boolean isContinuation(String line) {
    String s = line.strip();
    if (s.isEmpty() || s.startsWith("/proc/") || Prompts.isCommandLine(line)) {
      return false;
    }
    int colon = s.indexOf(':');
    if (colon > 0 && s.chars().limit(colon).allMatch(Character::isDigit) && (colon + 1 == s.length()
        || s.charAt(colon + 1) == ' ')) {
      return false; // "12:" starts a row
    }
    return !(s.startsWith("sl ") && s.contains("local_address"));
  }

  /** The parser for one pasted row: the protocol its grep prefix names, the address size it shows. */
  private ProcNetParser forRow(String file, byte[] row) {
    Protocol p = file == null ? protocol : file.startsWith("udp") ? Protocol.UDP : Protocol.TCP;
    int sp = 0;
    while (sp < row.length && row[sp] == ' ') {
      sp++;
    }
    while (sp < row.length && row[sp] != ' ') {
      sp++;
    }
    while (sp < row.length && row[sp] == ' ') {
      sp++;
    }
    int colon = sp;
    while (colon < row.length && row[colon] != ':' && row[colon] != ' ') {
      colon++;
    }
    boolean v6 = file != null ? file.endsWith("6") : colon - sp == 32 || (colon - sp != 8 && ipv6);
    return p == protocol && v6 == ipv6 ? this : new ProcNetParser(p, v6, littleEndian ? ByteOrder.LITTLE_ENDIAN
        : ByteOrder.BIG_ENDIAN);
  }

  /**
   * The line without the {@code /proc/net/tcp6:} (or {@code /proc/1/net/udp:}) that {@code grep} puts
   * before each match when it searched several files; the line itself when there is none.
   */
  public static String withoutGrepPrefix(String line) {
    String f = grepFile(line);
    return f == null ? line : line.substring(line.indexOf(':', line.indexOf("/" + f)) + 1);
  }

  /** {@code tcp}, {@code tcp6}, {@code udp} or {@code udp6} from a grep prefix, or null. */
  private static String grepFile(String line) {
    String s = line.stripLeading();
    if (!s.startsWith("/proc/")) {
      return null;
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String path = s.substring(0, colon);
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.equals("tcp") || name.equals("tcp6") || name.equals("udp") || name.equals("udp6") ? name : null;
  }

  /**
   * Parses {@code len} bytes of a table, keeping the rows the query accepts ({@code null}: all). The
   * header row and blank lines are not counted as skipped; any other row that does not parse is.
   */
  public ParsedTable parse(byte[] data, int len, SocketQuery query) {
    List<SocketEntry> out = new ArrayList<>();
    TableBuilder table = new TableBuilder(ProcNetParser.class);
    int lineNo = 0;
    int pos = 0;
    while (pos < len) {
      int end = pos;
      while (end < len && data[end] != '\n') {
        end++;
      }
      lineNo++;
      int r = parseRow(data, pos, end, query, out);
      if (r == BAD) { // rare: only a bad row costs a note
        table.skip(lineNo, new String(data, pos, Math.min(end - pos, 200), java.nio.charset.StandardCharsets.ISO_8859_1),
            "not a /proc/net row");
      }
      pos = end + 1;
    }
    out.forEach(table::add);
    return table.build();
  }

  private static final int OK = 0;
  private static final int IGNORED = 1;
  private static final int BAD = 2;

  // Field starts and ends within one row, reused (a parser is not shared between threads).
  private final int[] fs = new int[10];
  private final int[] fe = new int[10];

  private int parseRow(byte[] d, int start, int end, SocketQuery query, List<SocketEntry> out) {
    int n = 0;
    int i = start;
    while (n < 10) {
      while (i < end && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r')) {
        i++;
      }
      if (i >= end) {
        break;
      }
      fs[n] = i;
      while (i < end && d[i] != ' ' && d[i] != '\t' && d[i] != '\r') {
        i++;
      }
      fe[n] = i;
      n++;
    }
    if (n == 0) {
      return IGNORED; // blank line
    }
    if (d[fs[0]] == 's' && fe[0] - fs[0] == 2 && d[fs[0] + 1] == 'l') {
      return IGNORED; // header: "sl  local_address ..."
    }
    if (n < 10 || d[fe[0] - 1] != ':') {
      return BAD;
    }
    int addrLen = ipv6 ? 32 : 8;
    if (fe[1] - fs[1] != addrLen + 5 || d[fs[1] + addrLen] != ':'
        || fe[2] - fs[2] != addrLen + 5 || d[fs[2] + addrLen] != ':') {
      return BAD;
    }
    long localPort = hex(d, fs[1] + addrLen + 1, fe[1]);
    long st = hex(d, fs[3], fe[3]);
    if (localPort < 0 || localPort > 65535 || st < 0 || st > 0xff) {
      return BAD;
    }
    SocketState state = protocol == Protocol.TCP
        ? SocketState.fromLinuxTcp((int) st) : SocketState.fromLinuxUdp((int) st);
    if (query != null && !query.accepts(protocol, (int) localPort, state)) {
      return IGNORED;
    }
    long remotePort = hex(d, fs[2] + addrLen + 1, fe[2]);
    long uid = dec(d, fs[7], fe[7]);
    long inode = dec(d, fs[9], fe[9]);
    String local = address(d, fs[1]);
    String remote = address(d, fs[2]);
    if (remotePort < 0 || remotePort > 65535 || uid < 0 || inode < 0 || local == null || remote == null) {
      return BAD;
    }
    Optional<Endpoint> rem = remotePort == 0 && isWildcard(remote)
        ? Optional.empty() : Optional.of(new Endpoint(remote, (int) remotePort));
    // inode 0: no file refers to the socket (TIME_WAIT, or a connection still in the accept queue).
    OwnerStatus status = inode == 0 ? OwnerStatus.NONE : OwnerStatus.UNKNOWN;
    out.add(new SocketEntry(protocol, new Endpoint(local, (int) localPort), rem, state,
        OptionalInt.of((int) uid), inode == 0 ? OptionalLong.empty() : OptionalLong.of(inode), status, List.of()));
    return OK;
  }

  private static boolean isWildcard(String a) {
    return a.equals("0.0.0.0") || a.equals("::");
  }

  private String address(byte[] d, int at) {
    if (!ipv6) {
      long w = hex(d, at, at + 8);
      if (w < 0) {
        return null;
      }
      int v = (int) w;
      if (littleEndian) {
        v = Integer.reverseBytes(v);
      }
      return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }
    byte[] b = new byte[16];
    for (int word = 0; word < 4; word++) {
      long w = hex(d, at + 8 * word, at + 8 * word + 8);
      if (w < 0) {
        return null;
      }
      int v = (int) w;
      if (littleEndian) {
        v = Integer.reverseBytes(v);
      }
      b[4 * word] = (byte) (v >>> 24);
      b[4 * word + 1] = (byte) (v >>> 16);
      b[4 * word + 2] = (byte) (v >>> 8);
      b[4 * word + 3] = (byte) v;
    }
    return Ipv6Text.format(b);
  }

  /** {@code /proc/net/tcp}'s state column for LISTEN ({@code TCP_LISTEN}). */
  private static final int TCP_LISTEN = 0x0A;

  /**
   * Where the listeners end in a TCP table: the offset of the first whole row, from {@code from} (a line
   * start) up to the last newline before {@code len}, whose state is not LISTEN; -1 when every such row
   * is a listener (or the header, a blank or a malformed line).
   *
   * <p>The kernel prints {@code /proc/net/tcp} and {@code tcp6} in two passes (net/ipv4/tcp_ipv4.c,
   * {@code tcp_get_idx}: the listening hash, then the established hash), so every LISTEN row comes
   * before every other one, and a reader that wants only listeners can stop at the first row that is not.
   */
  public static int firstNonListener(byte[] d, int from, int len) {
    int pos = from;
    while (pos < len) {
      int end = pos;
      while (end < len && d[end] != '\n') {
        end++;
      }
      if (end == len) {
        return -1; // an unfinished line: the next read completes it
      }
      int field = 0;
      int i = pos;
      int stStart = -1;
      int stEnd = -1;
      while (field < 4) {
        while (i < end && (d[i] == ' ' || d[i] == '\t')) {
          i++;
        }
        if (i >= end) {
          break;
        }
        int s = i;
        while (i < end && d[i] != ' ' && d[i] != '\t' && d[i] != '\r') {
          i++;
        }
        if (field == 0 && i - s == 2 && d[s] == 's' && d[s + 1] == 'l') {
          break; // the header
        }
        if (field == 3) {
          stStart = s;
          stEnd = i;
        }
        field++;
      }
      if (stStart >= 0 && hex(d, stStart, stEnd) >= 0 && hex(d, stStart, stEnd) != TCP_LISTEN) {
        return pos;
      }
      pos = end + 1;
    }
    return -1;
  }

  /** Hex digits to a number; -1 when empty, too long or not hex. */
  static long hex(byte[] d, int from, int to) {
    if (from >= to || to - from > 15) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int c = d[i];
      int x;
      if (c >= '0' && c <= '9') {
        x = c - '0';
      } else if (c >= 'A' && c <= 'F') {
        x = c - 'A' + 10;
      } else if (c >= 'a' && c <= 'f') {
        x = c - 'a' + 10;
      } else {
        return -1;
      }
      v = (v << 4) | x;
    }
    return v;
  }

  /** Decimal digits to a number; -1 when empty, too long or not decimal. */
  static long dec(byte[] d, int from, int to) {
    if (from >= to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int c = d[i] - '0';
      if (c < 0 || c > 9) {
        return -1;
      }
      v = v * 10 + c;
    }
    return v;
  }
}
