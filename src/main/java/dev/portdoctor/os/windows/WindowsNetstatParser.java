package dev.portdoctor.os.windows;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.TableBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses Windows {@code netstat -ano} and {@code netstat -anob}, and the same text after PowerShell's
 * {@code Select-String -Context} (matched lines start with {@code > }).
 *
 * <p>netstat's output is localized: headers ("Active Connections", "Aktive Verbindungen", "活动连接"),
 * the "could not obtain ownership" line of {@code -b} and, on some versions, the state word. So a row is
 * recognized by structure only: the first word is {@code TCP} or {@code UDP}, then the local and the
 * remote {@code address:port}, then (TCP) one or more state words, then the PID when {@code -o} was
 * given. Columns overflow their width for long IPv6 addresses, so the row is split on blanks, never on
 * fixed positions; a state of several words does not shift the PID. Every other line is not data and is
 * skipped without being counted (a prompt and its command, headers, titles), except a TCP/UDP line
 * that does not parse, which is named with its line number and why; so is a row kept in part (words
 * after the PID, a state word unknown in every language here).
 *
 * <p>With {@code -b} each row is followed by up to a few indented lines: component names (one word each,
 * such as {@code RpcSs}), then {@code [image.exe]}, or a sentence saying the owner could not be read. A
 * one-word line is a component, a bracketed one the image, anything else that sentence in some language.
 *
 * <p>Without {@code -o} there is no PID column: the rows have no owner ({@link OwnerStatus#UNKNOWN}),
 * never a PID taken from another column. Without {@code -n} ({@code netstat -a}) addresses and ports
 * may be names: host names are kept as names, service names mapped (see {@link WindowsNamedEndpoint}).
 *
 * <p>PID 0 is the System Idle Process, which netstat prints for TIME_WAIT and other sockets no process
 * holds: such rows have no owner and {@link OwnerStatus#NONE}. Without {@code -o} the owner is
 * {@link OwnerStatus#UNKNOWN}.
 */
public final class WindowsNetstatParser {
  /** More component lines than this under one row is not netstat; stop attaching them. */
  private static final int MAX_COMPONENTS = 16;

  private WindowsNetstatParser() {}

  /** Parses the sockets of the table. */
  public static ParsedTable parse(String text) {
    return parseWithOwners(text).table();
  }

  /** Parses the sockets with what {@code -b} printed under each of them. */
  public static WindowsNetstat parseWithOwners(String text) {
    return new Run().parse(text);
  }

  /** One parse: the table so far and the row whose owner lines may still follow. */
  private static final class Run {
    private final TableBuilder table = new TableBuilder(WindowsNetstatParser.class);
    private final List<WindowsOwnerInfo> owners = new ArrayList<>();

    private Row pending;
    private int pendingLine;
    private String pendingText;
    private final List<String> services = new ArrayList<>();
    private String image;
    private boolean unavailable;

    WindowsNetstat parse(String text) {
      List<String> lines = WindowsText.lines(WindowsText.stripBom(text));
      for (int i = 0; i < lines.size(); i++) {
        line(lines.get(i), i + 1);
      }
      flush();
      return new WindowsNetstat(table.build(), owners);
    }

    private void line(String line, int lineNo) {
      List<String> t = WindowsText.tokens(line);
      if (t.isEmpty()) {
        flush();
        return;
      }
      boolean matched = t.get(0).equals(">"); // Select-String marks the lines it matched
      if (matched) {
        t = t.subList(1, t.size());
        if (t.isEmpty()) {
          flush();
          return;
        }
      }
      String first = t.get(0);
      if (first.equalsIgnoreCase("TCP") || first.equalsIgnoreCase("UDP")) {
        flush();
        Row row = Row.parse(t);
        if (row.problem != null && row.local == null) {
          table.skip(lineNo, line, row.problem);
        } else {
          pending = row;
          pendingLine = lineNo;
          pendingText = line;
        }
        return;
      }
      if (pending != null && !matched && WindowsText.isBlank(line.charAt(0))) {
        ownerLine(t);
        return;
      }
      flush(); // a header or other prose: not data, not counted
    }

    private void ownerLine(List<String> t) {
      String text = String.join(" ", t);
      if (text.length() > 2 && text.startsWith("[") && text.endsWith("]")) {
        image = text.substring(1, text.length() - 1);
        flush(); // the image is the last line of the block
      } else if (t.size() == 1 && services.size() < MAX_COMPONENTS) {
        services.add(text);
      } else {
        unavailable = true; // "Can not obtain ownership information", in the machine's language
        flush();
      }
    }

    /** Ends the pending row's owner block and emits the row. */
    private void flush() {
      if (pending == null) {
        return;
      }
      WindowsOwnerInfo info = new WindowsOwnerInfo(Optional.ofNullable(image), services, unavailable);
      table.add(pending.entry(info.image()));
      if (pending.problem != null) {
        table.partial(pendingLine, pendingText, pending.problem);
      }
      owners.add(info.isEmpty() ? WindowsOwnerInfo.NONE : info);
      pending = null;
      services.clear();
      image = null;
      unavailable = false;
    }
  }

  /**
   * The columns of one row, before its owner lines are known.
   *
   * @param problem why the row could not be read (then {@code local} is null), or which part of it was
   *     left out; null for a whole row
   */
  private record Row(Protocol protocol, Endpoint local, Optional<Endpoint> remote, SocketState state,
      OptionalLong pid, String problem) {

    static Row bad(String problem) {
      return new Row(null, null, Optional.empty(), null, OptionalLong.empty(), problem);
    }

    /**
     * The row the words form. The PID is the first all-digit word after the state (TCP) or after the
     * remote address (UDP); words after it are not netstat's (a note typed into the paste) and are
     * named, as is a state word netstat does not print in any language known here.
     */
    static Row parse(List<String> t) {
      if (t.size() < 3) {
        return bad("too few columns for Proto, Local Address, Foreign Address");
      }
      Protocol protocol = t.get(0).equalsIgnoreCase("TCP") ? Protocol.TCP : Protocol.UDP;
      Endpoint local = WindowsNamedEndpoint.parse(t.get(1)); // -a without -n: names (see that class)
      if (local == null) {
        return bad("local address '" + WindowsText.clip(t.get(1)) + "' is not an address and port");
      }
      Optional<Endpoint> remote;
      if (t.get(2).equals("*:*")) {
        remote = Optional.empty();
      } else {
        Endpoint r = WindowsNamedEndpoint.parse(t.get(2));
        if (r == null) {
          return bad("foreign address '" + WindowsText.clip(t.get(2)) + "' is not an address and port (without "
              + "-n netstat prints host names)");
        }
        // port 0 is no peer: 0.0.0.0:0, [::]:0, or with names the machine's own name (notebook:0)
        remote = WindowsText.isUnspecified(r) || (r.port() == 0 && !WindowsText.isAddress(r.address()))
            ? Optional.empty() : Optional.of(r);
      }
      int stateEnd = 3;
      while (stateEnd < t.size() && !WindowsText.isDigits(t.get(stateEnd))) {
        stateEnd++;
      }
      if (protocol == Protocol.UDP && stateEnd > 3) {
        return bad("a UDP row has no state, but '" + WindowsText.clip(t.get(3)) + "' follows its addresses");
      }
      OptionalLong pid = OptionalLong.empty();
      String problem = null;
      if (stateEnd < t.size()) {
        long p = WindowsText.pid(t.get(stateEnd));
        if (p < 0) {
          return bad("PID '" + WindowsText.clip(t.get(stateEnd)) + "' is out of range");
        }
        pid = OptionalLong.of(p);
        if (stateEnd + 1 < t.size()) {
          problem = "text after the PID is not netstat's and was ignored: '"
              + WindowsText.clip(String.join(" ", t.subList(stateEnd + 1, t.size()))) + "'";
        }
      }
      SocketState state;
      if (protocol == Protocol.TCP) {
        if (stateEnd == 3) {
          return bad("no state: netstat always prints one for TCP");
        }
        String word = String.join(" ", t.subList(3, stateEnd));
        state = WindowsStates.netstat(word);
        if (state == SocketState.UNKNOWN && problem == null) {
          problem = "state '" + WindowsText.clip(word) + "' is not one netstat prints; kept as UNKNOWN";
        }
      } else {
        state = remote.isEmpty() ? SocketState.UNCONN : SocketState.ESTABLISHED;
      }
      return new Row(protocol, local, remote, state, pid, problem);
    }

    SocketEntry entry(Optional<String> image) {
      OwnerStatus status;
      List<Owner> list;
      if (pid.isEmpty()) {
        status = OwnerStatus.UNKNOWN;
        list = List.of();
      } else if (pid.getAsLong() == 0) {
        status = OwnerStatus.NONE; // System Idle Process: no process holds the socket
        list = List.of();
      } else {
        status = OwnerStatus.KNOWN;
        list = List.of(new Owner(pid.getAsLong(), image));
      }
      return new SocketEntry(protocol, local, remote, state, OptionalInt.empty(), OptionalLong.empty(),
          status, list);
    }
  }
}
