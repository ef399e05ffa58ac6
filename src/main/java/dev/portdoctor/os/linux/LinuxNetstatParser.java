package dev.portdoctor.os.linux;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Addresses;
import dev.portdoctor.os.text.Lines;
import dev.portdoctor.os.text.Numbers;
import dev.portdoctor.os.text.Prompts;
import dev.portdoctor.os.text.Row;
import dev.portdoctor.os.text.ServiceNames;
import dev.portdoctor.os.text.StateNames;
import dev.portdoctor.os.text.TableBuilder;
import dev.portdoctor.os.text.Tokens;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses the Internet part of net-tools {@code netstat} with numeric output: {@code netstat -tulpn},
 * {@code netstat -tanp}, {@code netstat -lnp}, {@code netstat -tulpne} (with {@code LC_ALL=C}).
 *
 * <p>A row is {@code Proto Recv-Q Send-Q Local Foreign [State] [User Inode] [PID/Program name]}.
 * The State of a UDP row is usually blank, so the columns after it are found by what they hold, not
 * where they are; the User and Inode columns of {@code -e} are expected when the header names them.
 * The last column is {@code 600/sshd: /usr/sbin}: the PID, a slash, and the rest of the line as the
 * program name, which may hold spaces (it comes from the process's command line, which a daemon may
 * rewrite); {@code -} means netstat could not tell.
 *
 * <p>Decisions, each pinned by a test:
 * <ul>
 *   <li>netstat shows only one PID per socket even when several processes hold it.
 *   <li>Under {@code tcp6}/{@code udp6} an IPv4 address ({@code 127.0.0.1:18092}) is the IPv4-mapped
 *       address of an IPv6 socket, and becomes {@code ::ffff:127.0.0.1} as {@code /proc} and {@code ss}
 *       print it.
 *   <li>{@code -} as the owner is {@link OwnerStatus#NONE} for TIME_WAIT, else
 *       {@link OwnerStatus#UNKNOWN} (another user's process, or an orphaned connection).
 *   <li>A UDP row without a State is {@link SocketState#UNCONN} when it has no peer, else ESTABLISHED.
 *   <li>{@code raw}, {@code raw6} and {@code udpl} rows are not TCP or UDP and are left out without
 *       being counted. The {@code Active UNIX domain sockets} section (and any later one) ends the parse.
 *   <li>Long IPv6 addresses that netstat cut to fit its column (without {@code -W}) are kept as printed.
 *   <li>Without {@code -n}, a service name is read as its port ({@code *:ssh}) and {@code localhost} as
 *       127.0.0.1 ({@code ::1} under {@code tcp6}); any other host name is another machine's, or this
 *       one's, which a parser cannot turn into an address: a row whose local end is one is named and
 *       skipped, one whose remote end is one is kept without it and named.
 *   <li>{@code *} as an address (old net-tools) is 0.0.0.0, or {@code ::} under {@code tcp6}.
 *   <li>A line whose first word is not a protocol (a prompt and command, a script's title, a date) is
 *       not a row and is left out uncounted, unless no row at all is read (then the text is not
 *       netstat's, such as a crash message, and those lines are named); a line that holds only the State and/or the
 *       PID/Program name is the end of the row above it, which the terminal wrapped.
 *   <li>A line in parentheses is netstat's note about {@code -p} ({@code (No info could be read for
 *       "-p": ...)}, {@code (Not all processes could be identified...)}), which it writes to stderr; it
 *       is skipped uncounted in case the caller merged stderr into the text.
 * </ul>
 */
public final class LinuxNetstatParser {
  private static final Set<String> OTHER_PROTOCOLS = Set.of("raw", "raw6", "udpl", "udpl6");

  /** The Timer column of {@code -o} after the program name: {@code off (0.00/0/0)}, {@code keepalive (6580.48/0/0)}. */
  private static final java.util.regex.Pattern TIMER =
      java.util.regex.Pattern.compile("\\s+(off|on|keepalive|timewait|probe|unkn-\\d+) \\([0-9.]+/\\d+/\\d+\\)\\S*\\s*$");

  private LinuxNetstatParser() {}

  public static ParsedTable parse(String text) {
    TableBuilder table = new TableBuilder(LinuxNetstatParser.class);
    List<String> lines = Lines.of(text);
    boolean userInode = false;
    List<int[]> prose = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = Lines.unquote(lines.get(i));
      if (line.startsWith("Active ")) {
        if (line.startsWith("Active Internet connections")) {
          continue;
        }
        break;
      }
      Tokens t = Tokens.of(line);
      if (t.count() == 0 || line.startsWith("(") || line.startsWith(" will not be shown")) {
        continue; // netstat's note about -p, which may wrap onto a second line
      }
      if (t.get(0).equals("Proto")) {
        userInode = line.contains(" Inode ");
        continue;
      }
      if (!looksLikeRow(t)) {
        if (!Prompts.isCommandLine(line) && prose.size() < ParsedTable.MAX_NOTES) {
          prose.add(new int[] {lineNo, i}); // a date, a script's title: named only if nothing else is read
        }
        continue; // a prompt and command (user@host:~$ sudo netstat -tulpn)
      }
      // a row the terminal wrapped: its State or PID/Program name column is on the next line
      while (i + 1 < lines.size() && continues(lines.get(i + 1))) {
        line = line + " " + lines.get(++i).strip();
        t = Tokens.of(line);
      }
      table.accept(row(t, userInode), lineNo, line);
    }
    if (table.entryCount() == 0) {
      for (int[] p : prose) { // no row at all: that text is not netstat's (a crash message, garbage)
        table.skip(p[0], Lines.unquote(lines.get(p[1])), "not a netstat row");
      }
    }
    return table.build();
  }

  /** A row of the Internet part: it starts with tcp, tcp6, udp, udp6, raw..., or has Recv-Q and Send-Q. */
  private static boolean looksLikeRow(Tokens t) {
    String first = t.get(0);
    return first.startsWith("tcp") || first.startsWith("udp") || first.startsWith("raw")
        || (t.count() >= 5 && Numbers.dec(t.get(1)) >= 0 && Numbers.dec(t.get(2)) >= 0);
  }

  /** A line that holds only the State, or the PID/Program name, or both, of the row above it. */
  private static boolean continues(String next) {
    Tokens t = Tokens.of(next);
    if (t.count() == 0 || looksLikeRow(t)) {
      return false;
    }
    int at = 0;
    if (StateNames.parse(t.get(0)) != null && !t.get(0).matches("\\d+")) {
      at = 1;
    }
    if (at == t.count()) {
      return true;
    }
    String owner = t.get(at);
    int slash = owner.indexOf('/');
    return owner.equals("-") ? t.count() == at + 1 : slash > 0 && Numbers.dec(owner, 0, slash) > 0;
  }

  private static Row row(Tokens t, boolean userInode) {
    String proto = t.get(0);
    if (OTHER_PROTOCOLS.contains(proto)) {
      return Row.IGNORED;
    }
    Protocol protocol = proto.equals("tcp") || proto.equals("tcp6") ? Protocol.TCP
        : proto.equals("udp") || proto.equals("udp6") ? Protocol.UDP : null;
    if (protocol == null || t.count() < 5 || Numbers.dec(t.get(1)) < 0 || Numbers.dec(t.get(2)) < 0) {
      return Row.BAD;
    }
    boolean v6 = proto.endsWith("6");
    NetstatAddress local = NetstatAddress.parse(t.get(3), v6);
    NetstatAddress foreign = NetstatAddress.parse(t.get(4), v6);
    if (local == null || local.port < 0) {
      return Row.bad("local address '" + Lines.excerpt(t.get(3)) + "' is not an address and port (a host name, a service "
          + "name netstat cut, or text edited by hand)");
    }
    String lostRemote = null;
    if (foreign == null) {
      lostRemote = "remote end '" + Lines.excerpt(t.get(4)) + "' is not an address and port (a host name netstat cut to its "
          + "column?): kept without it";
      foreign = new NetstatAddress("0.0.0.0", -1);
    }
    int at = 5;
    SocketState state = at < t.count() ? StateNames.parse(t.get(at)) : null;
    if (state != null) {
      at++;
    } else if (protocol == Protocol.TCP) {
      return Row.BAD;
    }
    long uid = -1;
    long inode = -1;
    if (userInode) {
      if (t.count() < at + 2) {
        return Row.BAD;
      }
      uid = Numbers.dec(t.get(at));
      inode = Numbers.dec(t.get(at + 1));
      if (inode < 0) {
        return Row.BAD;
      }
      at += 2;
    }
    Optional<Endpoint> remote = foreign.port < 0 || (foreign.port == 0 && foreign.isWildcard())
        ? Optional.empty() : Optional.of(new Endpoint(foreign.address, foreign.port));
    if (state == null) {
      state = remote.isEmpty() ? SocketState.UNCONN : SocketState.ESTABLISHED;
    }
    Owner owner = null;
    if (at < t.count() && !t.get(at).equals("-")) {
      owner = owner(t, at);
      if (owner == null) {
        return Row.BAD;
      }
    }
    OwnerStatus status = owner != null ? OwnerStatus.KNOWN
        : state == SocketState.TIME_WAIT || inode == 0 ? OwnerStatus.NONE : OwnerStatus.UNKNOWN;
    SocketEntry entry = new SocketEntry(protocol, new Endpoint(local.address, local.port), remote, state,
        uid < 0 || uid > Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of((int) uid),
        inode <= 0 ? OptionalLong.empty() : OptionalLong.of(inode), status,
        owner == null ? List.of() : List.of(owner));
    return lostRemote == null ? Row.of(entry) : Row.partial(entry, lostRemote);
  }

  /** {@code 600/sshd: /usr/sbin} from field {@code at} to the end of the line; null when malformed. */
  private static Owner owner(Tokens t, int at) {
    String rest = t.line().substring(t.start(at)).strip();
    int slash = rest.indexOf('/');
    long pid = slash < 0 ? -1 : Numbers.dec(rest, 0, slash);
    if (pid <= 0) {
      return null;
    }
    String name = TIMER.matcher(rest.substring(slash + 1)).replaceFirst("").strip();
    return new Owner(pid, name.isEmpty() ? Optional.empty() : Optional.of(name));
  }

  /** One address column: {@code 127.0.0.1:25}, {@code :::22}, {@code ::1:323}, {@code 0.0.0.0:*}. */
  private static final class NetstatAddress {
    final String address;
    /** The port, or -1 for {@code *}. */
    final int port;

    private NetstatAddress(String address, int port) {
      this.address = address;
      this.port = port;
    }

    boolean isWildcard() {
      return address.equals("0.0.0.0") || address.equals("::");
    }

    static NetstatAddress parse(String field, boolean v6) {
      int colon = field.lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      String host = field.substring(0, colon);
      String portText = field.substring(colon + 1);
      int port = portText.equals("*") ? -1 : Numbers.port(portText);
      if (port < 0 && !portText.equals("*")) {
        port = ServiceNames.port(portText); // without -n: 0.0.0.0:ssh
        if (port < 0) {
          return null;
        }
      }
      if (host.equals("*")) {
        return new NetstatAddress(v6 ? "::" : "0.0.0.0", port); // old net-tools: *:22
      }
      if (host.equals("localhost")) {
        return new NetstatAddress(v6 ? "::1" : "127.0.0.1", port); // without -n
      }
      if (Addresses.isIpv4(host)) {
        return new NetstatAddress(v6 ? Addresses.v4Mapped(host) : host, port);
      }
      return v6 && Addresses.isIpv6(host) ? new NetstatAddress(host, port) : null;
    }
  }
}
