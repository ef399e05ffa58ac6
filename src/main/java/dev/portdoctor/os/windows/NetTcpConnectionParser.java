package dev.portdoctor.os.windows;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Csv;
import dev.portdoctor.os.text.TableBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses PowerShell's socket tables: {@code Get-NetTCPConnection} and {@code Get-NetUDPEndpoint} piped to
 * {@code ConvertTo-Csv -NoTypeInformation} / {@code Export-Csv}, or to {@code ConvertTo-Json}.
 *
 * <p>Unlike netstat, these name their fields, and the names are never localized: {@code LocalAddress},
 * {@code LocalPort}, {@code RemoteAddress}, {@code RemotePort}, {@code State}, {@code OwningProcess}
 * (other columns are ignored). {@code State} is the enum name in CSV ("Listen") and, in Windows
 * PowerShell's JSON, its number (2); both are read (see {@link WindowsStates}). Addresses come without
 * brackets ({@code ::}, {@code fe80::1%12}).
 *
 * <p>A CSV line or JSON object that does not make a socket is counted as skipped; for JSON the "line" of
 * a skipped object is its 1-based position in the array.
 */
public final class NetTcpConnectionParser {
  private NetTcpConnectionParser() {}

  /** Parses CSV or JSON, whichever the text is (JSON starts with {@code [} or <code>{</code>). */
  public static ParsedTable parse(String text, Protocol protocol) {
    String t = WindowsText.trim(WindowsText.stripBom(text));
    return t.startsWith("[") || t.startsWith("{") ? parseJson(text, protocol) : parseCsv(text, protocol);
  }

  /**
   * No header or row of these cmdlets comes near this length (every property of a connection fits in a
   * few KB); a longer line is counted as unreadable without being unquoted, so a hostile capture of one
   * huge line costs no more memory than its own text.
   */
  private static final int MAX_CSV_LINE = 64 * 1024;

  /** Parses {@code ConvertTo-Csv}/{@code Export-Csv} output, with or without the {@code #TYPE} line. */
  public static ParsedTable parseCsv(String text, Protocol protocol) {
    Table out = new Table();
    List<String> lines = WindowsText.lines(WindowsText.stripBom(text));
    Columns columns = null;
    char delimiter = ',';
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = WindowsText.trim(line);
      if (trimmed.isEmpty() || (columns == null && trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.length() > MAX_CSV_LINE) {
        out.bad(i + 1, line, "longer than any CSV row of Get-NetTCPConnection");
        if (columns == null) {
          return out.table(); // not the header of a socket table
        }
        continue;
      }
      if (columns == null) {
        delimiter = Csv.delimiter(trimmed);
        List<String> header = Csv.fields(trimmed, delimiter);
        columns = header == null ? null : Columns.of(header);
        if (columns == null) {
          out.bad(i + 1, line, "not a header naming LocalAddress and LocalPort"); // not a socket table
          return out.table();
        }
        continue;
      }
      List<String> f = Csv.fields(trimmed, delimiter);
      SocketEntry e = f == null || f.size() != columns.count ? null : columns.entry(f, protocol);
      if (e == null) {
        out.bad(i + 1, line, f == null ? "not a CSV row (unbalanced quotes)" : f.size() != columns.count
            ? f.size() + " fields where the header has " + columns.count : "no socket in its LocalAddress, "
            + "LocalPort, RemoteAddress, RemotePort, State, OwningProcess");
      } else {
        out.entries.add(e);
      }
    }
    return out.table();
  }

  /** Parses {@code ConvertTo-Json} output: one object, an array, or Windows PowerShell's {@code {"value": [...]}}. */
  public static ParsedTable parseJson(String text, Protocol protocol) {
    Table out = new Table();
    Object root;
    try {
      root = JSON.std.anyFrom(WindowsText.stripBom(text));
    } catch (IOException e) {
      out.bad(1, text, "not JSON: " + WindowsText.clip(String.valueOf(e.getMessage())));
      return out.table();
    }
    List<?> items;
    if (root instanceof List<?> list) {
      items = list;
    } else if (root instanceof Map<?, ?> map && map.get("value") instanceof List<?> wrapped) {
      items = wrapped;
    } else if (root instanceof Map<?, ?> map) {
      items = List.of(map);
    } else {
      out.bad(1, String.valueOf(root), "JSON that is neither an object nor an array of them");
      return out.table();
    }
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      SocketEntry e = item instanceof Map<?, ?> m ? entry(m, protocol) : null;
      if (e == null) {
        out.bad(i + 1, String.valueOf(item), "object " + (i + 1) + " of the array holds no socket (LocalAddress, "
            + "LocalPort...)");
      } else {
        out.entries.add(e);
      }
    }
    return out.table();
  }

  private static SocketEntry entry(Map<?, ?> m, Protocol protocol) {
    return build(protocol, text(get(m, "LocalAddress")), number(get(m, "LocalPort")),
        text(get(m, "RemoteAddress")), number(get(m, "RemotePort")), get(m, "State"),
        number(get(m, "OwningProcess")), get(m, "OwningProcess") != null);
  }

  /** A field by its exact name, else by its name in any case. */
  private static Object get(Map<?, ?> m, String name) {
    Object v = m.get(name);
    if (v != null) {
      return v;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() instanceof String k && k.equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String text(Object v) {
    return v instanceof String s ? WindowsText.trim(s) : null;
  }

  /** A non-negative integer from a JSON number or digit string; -1 for anything else. */
  private static long number(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      long n = ((Number) v).longValue();
      return n < 0 ? -1 : n;
    }
    if (v instanceof BigInteger b) {
      return b.signum() < 0 || b.bitLength() > 40 ? -1 : b.longValue();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d >= 0 && d <= WindowsText.MAX_PID && d == Math.rint(d) ? (long) d : -1;
    }
    if (v instanceof String s) {
      return WindowsText.digits(WindowsText.trim(s), 12);
    }
    return -1;
  }

  /**
   * Builds one socket; null when the local endpoint is not valid.
   *
   * @param pid -1 when absent or not a number
   * @param hasPid whether the source had an owning-process field at all
   */
  static SocketEntry build(Protocol protocol, String localAddress, long localPort, String remoteAddress,
      long remotePort, Object stateValue, long pid, boolean hasPid) {
    if (localAddress == null || !WindowsText.isAddress(localAddress) || localPort < 0 || localPort > 65535) {
      return null;
    }
    Endpoint local = new Endpoint(localAddress, (int) localPort);
    Optional<Endpoint> remote = Optional.empty();
    SocketState state;
    if (protocol == Protocol.TCP) {
      if (remoteAddress != null && !remoteAddress.isEmpty()) {
        if (!WindowsText.isAddress(remoteAddress) || remotePort < 0 || remotePort > 65535) {
          return null;
        }
        Endpoint r = new Endpoint(remoteAddress, (int) remotePort);
        remote = WindowsText.isUnspecified(r) ? Optional.empty() : Optional.of(r);
      }
      state = state(stateValue);
    } else {
      state = SocketState.UNCONN;
    }
    OwnerStatus status;
    List<Owner> owners;
    if (pid > WindowsText.MAX_PID || (hasPid && pid < 0)) {
      return null;
    } else if (pid < 0) {
      status = OwnerStatus.UNKNOWN;
      owners = List.of();
    } else if (pid == 0) {
      status = OwnerStatus.NONE; // TimeWait rows belong to the System Idle Process
      owners = List.of();
    } else {
      status = OwnerStatus.KNOWN;
      owners = List.of(Owner.of(pid));
    }
    return new SocketEntry(protocol, local, remote, state, OptionalInt.empty(), OptionalLong.empty(),
        status, owners);
  }

  private static SocketState state(Object v) {
    if (v instanceof String s) {
      String t = WindowsText.trim(s);
      return WindowsText.isDigits(t) ? WindowsStates.powerShellNumber(WindowsText.digits(t, 4))
          : WindowsStates.powerShellName(t);
    }
    long n = number(v);
    return n < 0 ? SocketState.UNKNOWN : WindowsStates.powerShellNumber(n);
  }

  /** Entries and skipped lines being collected. */
  private static final class Table {
    final List<SocketEntry> entries = new ArrayList<>();
    private final TableBuilder notes = new TableBuilder(NetTcpConnectionParser.class);

    /** Every skipped line (or JSON object) is noted with its number and why. */
    void bad(int lineNo, String text, String problem) {
      notes.skip(lineNo, WindowsText.clip(text), problem);
    }

    ParsedTable table() {
      entries.forEach(notes::add);
      return notes.build();
    }
  }

  /** Where the wanted columns are in a CSV header. */
  private record Columns(int count, int localAddress, int localPort, int remoteAddress, int remotePort,
      int state, int owningProcess) {

    /** Null unless the header names LocalAddress and LocalPort. */
    static Columns of(List<String> header) {
      int la = index(header, "LocalAddress");
      int lp = index(header, "LocalPort");
      if (la < 0 || lp < 0) {
        return null;
      }
      return new Columns(header.size(), la, lp, index(header, "RemoteAddress"), index(header, "RemotePort"),
          index(header, "State"), index(header, "OwningProcess"));
    }

    private static int index(List<String> header, String name) {
      for (int i = 0; i < header.size(); i++) {
        if (WindowsText.trim(header.get(i)).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          return i;
        }
      }
      return -1;
    }

    SocketEntry entry(List<String> f, Protocol protocol) {
      String pidText = owningProcess < 0 ? "" : WindowsText.trim(f.get(owningProcess));
      long pid = pidText.isEmpty() ? -1 : WindowsText.digits(pidText, 12);
      return build(protocol, WindowsText.trim(f.get(localAddress)),
          WindowsText.digits(WindowsText.trim(f.get(localPort)), 6),
          remoteAddress < 0 ? null : WindowsText.trim(f.get(remoteAddress)),
          remotePort < 0 ? -1 : WindowsText.digits(WindowsText.trim(f.get(remotePort)), 6),
          state < 0 ? null : f.get(state), pid, !pidText.isEmpty());
    }
  }
}
