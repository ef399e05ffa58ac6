package dev.portdoctor.os.windows;

import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.TableBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses what PowerShell prints on the console for {@code Get-NetTCPConnection} and
 * {@code Get-NetUDPEndpoint}: the default {@code Format-Table} view, {@code Select-Object} subsets of
 * it, and {@code Format-List}.
 *
 * <pre>
 * LocalAddress                        LocalPort RemoteAddress                       RemotePort State       AppliedSetting OwningProcess
 * ------------                        --------- -------------                       ---------- -----       -------------- -------------
 * 127.0.0.1                           11434     0.0.0.0                             0          Listen                     10276
 * </pre>
 *
 * <p>A table's columns are where its dashes line puts them: each run of {@code -} is one column, and a
 * cell is the text from its column's first dash to the next column's (PowerShell pads cells to the
 * column and never lets one run into the next, except the last). The header names the columns;
 * {@code LocalAddress} and {@code LocalPort} are needed, {@code RemoteAddress}, {@code RemotePort},
 * {@code State} and {@code OwningProcess} are read when present. Property names are the same in every
 * display language, but should a header not name them, the columns are told by the shape of the first
 * row's cells: the first address is local, a number after an address its port, the second address the
 * remote one, a word the state, a number after the state the owning process.
 *
 * <p>A narrow console cuts cells with {@code ...} (Windows PowerShell) or {@code …} (PowerShell 7) and,
 * with {@code -Wrap}, continues them on the next lines, whose other cells are blank: such lines are
 * joined to their row. What a cut leaves:
 * <ul>
 *   <li>a cut local address or port: the row is skipped with a note (a socket without them is not one);
 *   <li>a cut remote address or port: the row is kept without its peer, noted as read in part;
 *   <li>a cut state: kept when what is left names one state only ({@code Establi…}), else UNKNOWN; noted;
 *   <li>a cut OwningProcess: the owner is unknown (a PID is never completed or guessed); noted.
 * </ul>
 *
 * <p>{@code Format-List} prints one {@code Name : value} line per property and a blank line between
 * objects; a long value continues on indented lines.
 *
 * <p>Rows with no State nor remote column ({@code Get-NetUDPEndpoint}, or a {@code Select-Object} that
 * left them out) take the protocol the caller names; with such a column they are TCP.
 */
public final class NetTcpConnectionTableParser {
  private static final String LOCAL_ADDRESS = "localaddress";
  private static final String LOCAL_PORT = "localport";
  private static final String REMOTE_ADDRESS = "remoteaddress";
  private static final String REMOTE_PORT = "remoteport";
  private static final String STATE = "state";
  private static final String OWNING_PROCESS = "owningprocess";

  /**
   * Every property of a connection makes fewer columns than this; a "dashes line" of more is not a
   * header, and refusing it keeps a hostile capture from costing rows times columns.
   */
  private static final int MAX_COLUMNS = 64;

  private NetTcpConnectionTableParser() {}

  /** True for the dashes line under a Format-Table header: runs of {@code -} separated by blanks. */
  static boolean isDashes(String line) {
    String t = WindowsText.trim(line);
    if (t.isEmpty() || t.charAt(0) != '-') {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c != '-' && c != ' ') {
        return false;
      }
    }
    return true;
  }

  /** True for a Format-List line of a connection: {@code LocalAddress : ...}. */
  public static boolean isListLine(String line) {
    String t = WindowsText.trim(line);
    if (!t.startsWith("LocalAddress")) {
      return false;
    }
    String rest = WindowsText.trim(t.substring("LocalAddress".length()));
    return rest.startsWith(":");
  }

  /**
   * True when the text holds a Format-Table whose header may name its columns in any words: a dashes
   * line of at least two columns followed by a row whose first word is an IP address and second a port.
   */
  public static boolean looksLikeTable(String text) {
    List<String> lines = WindowsText.lines(WindowsText.stripBom(text));
    int limit = Math.min(lines.size(), 400);
    for (int i = 1; i < limit - 1; i++) {
      if (isDashes(lines.get(i)) && WindowsText.tokens(lines.get(i)).size() >= 2) {
        List<String> row = WindowsText.tokens(lines.get(i + 1));
        if (row.size() >= 2 && WindowsText.isAddress(row.get(0)) && WindowsText.port(row.get(1)) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** Parses Format-Table output (any number of tables, each with its header and dashes line). */
  public static ParsedTable parseTable(String text, Protocol protocol) {
    TableBuilder out = new TableBuilder(NetTcpConnectionTableParser.class);
    List<String> lines = WindowsText.lines(WindowsText.stripBom(text));
    Columns columns = null;
    Pending pending = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = stripCr(lines.get(i));
      if (i + 1 < lines.size() && isDashes(lines.get(i + 1)) && !isDashes(line) && !WindowsText.trim(line).isEmpty()) {
        flush(pending, columns, protocol, out);
        pending = null;
        columns = Columns.of(line, stripCr(lines.get(i + 1)));
        i++;
        continue;
      }
      if (columns == null) {
        continue;
      }
      if (WindowsText.trim(line).isEmpty()) { // a table ends at its first blank line
        flush(pending, columns, protocol, out);
        pending = null;
        columns = null;
        continue;
      }
      Map<String, String> cells = columns.cells(line);
      if (cells == null) { // text that does not fit the columns: not a row of this table
        flush(pending, columns, protocol, out);
        pending = null;
        columns = null;
        continue;
      }
      if (pending != null && columns.has(LOCAL_PORT) && cells.getOrDefault(LOCAL_PORT, "").isEmpty()) {
        pending.append(cells, line); // -Wrap: the rest of the row's cut cells
        continue;
      }
      flush(pending, columns, protocol, out);
      pending = new Pending(i + 1, line, cells);
    }
    flush(pending, columns, protocol, out);
    return out.build();
  }

  /** Parses Format-List output: {@code Name : value} lines, objects separated by blank lines. */
  public static ParsedTable parseList(String text, Protocol protocol) {
    TableBuilder out = new TableBuilder(NetTcpConnectionTableParser.class);
    List<String> lines = WindowsText.lines(WindowsText.stripBom(text));
    Pending pending = null;
    String lastKey = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = stripCr(lines.get(i));
      String trimmed = WindowsText.trim(line);
      if (trimmed.isEmpty()) {
        flushList(pending, protocol, out);
        pending = null;
        lastKey = null;
        continue;
      }
      int colon = line.indexOf(':');
      String key = colon > 0 ? WindowsText.trim(line.substring(0, colon)) : "";
      boolean property = colon > 0 && !key.isEmpty() && key.indexOf(' ') < 0 && isPropertyName(key)
          && (colon + 1 == line.length() || line.charAt(colon + 1) == ' ');
      if (property) {
        String k = key.toLowerCase(Locale.ROOT);
        String v = WindowsText.trim(line.substring(colon + 1));
        if (k.equals(LOCAL_ADDRESS) && pending != null && pending.cells.containsKey(LOCAL_ADDRESS)) {
          flushList(pending, protocol, out); // the next object, without a blank line between
          pending = null;
        }
        if (pending == null) {
          pending = new Pending(i + 1, line, new LinkedHashMap<>());
        }
        pending.cells.put(k, v);
        lastKey = k;
      } else if (pending != null && lastKey != null && WindowsText.isBlank(line.charAt(0))) {
        pending.cells.put(lastKey, pending.cells.get(lastKey) + trimmed); // a wrapped value
      } else {
        flushList(pending, protocol, out); // prose: a prompt, a command
        pending = null;
        lastKey = null;
      }
    }
    flushList(pending, protocol, out);
    return out.build();
  }

  private static boolean isPropertyName(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_' && c != '(' && c != ')') {
        return false;
      }
    }
    return true;
  }

  private static void flushList(Pending p, Protocol protocol, TableBuilder out) {
    if (p == null || !p.cells.containsKey(LOCAL_ADDRESS) && !p.cells.containsKey(LOCAL_PORT)) {
      return; // another object's properties (Get-NetTCPSetting...): not a socket
    }
    boolean tcp = p.cells.containsKey(STATE) || p.cells.containsKey(REMOTE_ADDRESS);
    entry(p, tcp ? Protocol.TCP : protocol, out);
  }

  private static void flush(Pending p, Columns columns, Protocol protocol, TableBuilder out) {
    if (p == null) {
      return;
    }
    entry(p, columns.isTcp() ? Protocol.TCP : protocol, out);
  }

  /** Makes the socket of one row, or skips it with the reason; notes what was cut. */
  private static void entry(Pending p, Protocol protocol, TableBuilder out) {
    String la = p.get(LOCAL_ADDRESS);
    String lp = p.get(LOCAL_PORT);
    if (!p.cells.containsKey(LOCAL_ADDRESS)) {
      out.skip(p.line, p.text, "no LocalAddress column: the address is not in the capture");
      return;
    }
    if (isCut(la) || isCut(lp)) {
      out.skip(p.line, p.text, "local address or port cut by the console ('" + (isCut(la) ? la : lp) + "')");
      return;
    }
    long port = WindowsText.digits(lp, 6);
    if (!WindowsText.isAddress(la) || port < 0 || port > 65535) {
      out.skip(p.line, p.text, "no local address and port ('" + la + "', '" + lp + "')");
      return;
    }
    List<String> cut = new ArrayList<>();
    String ra = p.get(REMOTE_ADDRESS);
    String rp = p.get(REMOTE_PORT);
    long remotePort = -1;
    if (protocol == Protocol.TCP && !ra.isEmpty()) {
      if (isCut(ra) || isCut(rp)) {
        cut.add("remote address cut by the console");
        ra = null;
      } else {
        remotePort = WindowsText.digits(rp, 6);
        if (!WindowsText.isAddress(ra) || remotePort < 0 || remotePort > 65535) {
          out.skip(p.line, p.text, "remote address or port cannot be read ('" + ra + "', '" + rp + "')");
          return;
        }
      }
    } else {
      ra = null;
    }
    String stateText = p.get(STATE);
    String state = stateText;
    if (isCut(stateText)) {
      state = stateByPrefix(uncut(stateText));
      cut.add("state cut by the console");
    } else if (protocol == Protocol.TCP && !stateText.isEmpty()
        && WindowsStates.powerShellName(stateText) == SocketState.UNKNOWN) {
      cut.add("unknown state '" + stateText + "'");
    }
    String pidText = p.get(OWNING_PROCESS);
    long pid = -1;
    if (isCut(pidText)) {
      cut.add("OwningProcess cut by the console: owner unknown");
    } else if (!pidText.isEmpty()) {
      pid = WindowsText.pid(pidText);
      if (pid < 0) {
        out.skip(p.line, p.text, "OwningProcess is not a PID ('" + pidText + "')");
        return;
      }
    }
    SocketEntry e = NetTcpConnectionParser.build(protocol, la, port, ra, remotePort, state, pid, pid >= 0);
    if (e == null) {
      out.skip(p.line, p.text, "cannot be read as a socket");
      return;
    }
    if (!cut.isEmpty()) {
      out.partial(p.line, p.text, String.join("; ", cut));
    }
    out.add(e);
  }

  private static boolean isCut(String cell) {
    return cell.endsWith("...") || cell.endsWith("\u2026");
  }

  private static String uncut(String cell) {
    return cell.endsWith("\u2026") ? cell.substring(0, cell.length() - 1) : cell.substring(0, cell.length() - 3);
  }

  private static final List<String> STATES = List.of("Closed", "Listen", "SynSent", "SynReceived", "Established",
      "FinWait1", "FinWait2", "CloseWait", "Closing", "LastAck", "TimeWait", "DeleteTCB", "Bound");

  /** The one state name that starts with the text left of a cut one, or "" when none or several do. */
  static String stateByPrefix(String prefix) {
    String found = "";
    if (prefix.isEmpty()) {
      return found;
    }
    for (String s : STATES) {
      if (s.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
        if (!found.isEmpty()) {
          return "";
        }
        found = s;
      }
    }
    return found;
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /** One row being read: its first line, and its cells (wrapped lines appended). */
  private static final class Pending {
    final int line;
    String text;
    final Map<String, String> cells;

    Pending(int line, String text, Map<String, String> cells) {
      this.line = line;
      this.text = text;
      this.cells = cells;
    }

    String get(String key) {
      String v = cells.get(key);
      return v == null ? "" : v;
    }

    void append(Map<String, String> more, String moreText) {
      for (Map.Entry<String, String> c : more.entrySet()) {
        if (!c.getValue().isEmpty()) {
          cells.put(c.getKey(), get(c.getKey()) + c.getValue());
        }
      }
      if (text.length() < 400) {
        text = text + " | " + WindowsText.trim(moreText);
      }
    }
  }

  /** Where a table's cells are, and what they are. */
  private static final class Columns {
    final int[] starts;
    final String[] names;
    /** The header named neither LocalAddress nor LocalPort: name the columns by the first row. */
    private boolean byShape;

    private Columns(int[] starts, String[] names) {
      this.starts = starts;
      this.names = names;
    }

    /** The columns of a header and its dashes line (null when too many); names from the header, or by shape. */
    static Columns of(String header, String dashes) {
      List<Integer> s = new ArrayList<>();
      for (int i = 0; i < dashes.length(); i++) {
        if (dashes.charAt(i) == '-' && (i == 0 || dashes.charAt(i - 1) != '-')) {
          s.add(i);
        }
      }
      if (s.isEmpty() || s.size() > MAX_COLUMNS) {
        return null; // no table of these cmdlets has this many columns: not read as one
      }
      int[] starts = new int[s.size()];
      String[] names = new String[s.size()];
      for (int c = 0; c < starts.length; c++) {
        starts[c] = s.get(c);
        int from = Math.min(starts[c], header.length());
        int to = Math.min(c + 1 < s.size() ? s.get(c + 1) : header.length(), header.length());
        names[c] = WindowsText.trim(header.substring(from, Math.max(from, to))).toLowerCase(Locale.ROOT);
      }
      Columns cols = new Columns(starts, names);
      cols.byShape = !cols.has(LOCAL_ADDRESS) && !cols.has(LOCAL_PORT);
      return cols;
    }

    boolean has(String name) {
      return List.of(names).contains(name);
    }

    boolean isTcp() {
      return has(STATE) || has(REMOTE_ADDRESS) || has(REMOTE_PORT);
    }

    /** Names the columns by what the first row holds (a header in words this parser does not know). */
    private void nameByShape(String[] cells) {
      int addresses = 0;
      String previous = "";
      for (int c = 0; c < cells.length; c++) {
        String v = cells[c];
        String name;
        if (WindowsText.isAddress(v)) {
          name = addresses++ == 0 ? LOCAL_ADDRESS : REMOTE_ADDRESS;
        } else if (WindowsText.isDigits(v) && previous.equals(LOCAL_ADDRESS)) {
          name = LOCAL_PORT;
        } else if (WindowsText.isDigits(v) && previous.equals(REMOTE_ADDRESS)) {
          name = REMOTE_PORT;
        } else if (!v.isEmpty() && WindowsStates.powerShellName(v) != SocketState.UNKNOWN) {
          name = STATE;
        } else if (WindowsText.isDigits(v) && c == cells.length - 1) {
          name = OWNING_PROCESS;
        } else {
          name = "column" + c;
        }
        names[c] = name;
        if (!v.isEmpty()) {
          previous = name;
        }
      }
    }

    /** The cells of a row, cut at the column starts. */
    private String[] raw(String line) {
      String[] out = new String[starts.length];
      for (int c = 0; c < starts.length; c++) {
        int from = Math.min(starts[c], line.length());
        int to = c + 1 < starts.length ? Math.min(starts[c + 1], line.length()) : line.length();
        out[c] = WindowsText.trim(line.substring(from, Math.max(from, to)));
      }
      return out;
    }

    /**
     * The cells of a row by column name; null when the line does not fit the table (text left of the
     * first column, or a word running across a column start: a prompt, another command's output).
     */
    Map<String, String> cells(String line) {
      if (starts.length == 0
          || !WindowsText.trim(line.substring(0, Math.min(starts[0], line.length()))).isEmpty()) {
        return null;
      }
      for (int c = 1; c < starts.length; c++) {
        int at = starts[c];
        if (at < line.length() && !WindowsText.isBlank(line.charAt(at - 1)) && !WindowsText.isBlank(line.charAt(at))) {
          return null;
        }
      }
      String[] raw = raw(line);
      if (byShape) {
        byShape = false;
        nameByShape(raw);
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int c = 0; c < starts.length; c++) {
        m.merge(names[c], raw[c], String::concat);
      }
      return m;
    }
  }
}
