package dev.portdoctor.os;

import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.os.linux.LinuxNetstatParser;
import dev.portdoctor.os.linux.ProcNetParser;
import dev.portdoctor.os.linux.SsParser;
import dev.portdoctor.os.mac.BsdNetstatParser;
import dev.portdoctor.os.mac.LsofParser;
import dev.portdoctor.os.mac.LsofTableParser;
import dev.portdoctor.os.windows.NetTcpConnectionParser;
import dev.portdoctor.os.text.Lines;
import dev.portdoctor.os.text.Prompts;
import dev.portdoctor.os.windows.NetTcpConnectionTableParser;
import dev.portdoctor.os.windows.WindowsNetstatParser;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The formats {@code portdoctor parse} reads, and the detection of a format from the text itself, by
 * the shape of its rows (headers are localized; rows are not).
 */
public enum CaptureFormat {
  NETSTAT("netstat", "Windows netstat -ano, -anob, -an, -a (no -o: no PIDs)"),
  POWERSHELL_CSV("powershell-csv", "Get-NetTCPConnection / Get-NetUDPEndpoint | ConvertTo-Csv"),
  POWERSHELL_JSON("powershell-json", "Get-NetTCPConnection / Get-NetUDPEndpoint | ConvertTo-Json"),
  POWERSHELL_TABLE("powershell-table", "Get-NetTCPConnection as the console shows it (Format-Table)"),
  POWERSHELL_LIST("powershell-list", "Get-NetTCPConnection / Get-NetUDPEndpoint | Format-List"),
  LSOF("lsof", "lsof -nP -iTCP -iUDP -F pcfnPtTu0"),
  LSOF_TABLE("lsof-table", "lsof -i, lsof -i :PORT, lsof -nP -iTCP -sTCP:LISTEN tables"),
  SS("ss", "ss -tanup (with or without -H, -e)"),
  PROC("proc", "/proc/net/tcp, tcp6, udp, udp6"),
  LINUX_NETSTAT("linux-netstat", "net-tools netstat -tulpn / -tanp"),
  BSD_NETSTAT("bsd-netstat", "macOS netstat -anv -p tcp|udp"),
  EXCLUDEDPORTRANGE("excludedportrange", "netsh interface ipv4 show excludedportrange protocol=tcp");

  private static final Set<String> SS_STATES = Set.of("LISTEN", "ESTAB", "UNCONN", "TIME-WAIT", "CLOSE-WAIT",
      "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "LAST-ACK", "CLOSING", "CLOSED");

  private static final Set<String> SS_OTHER_NETIDS = Set.of("u_str", "u_dgr", "u_seq", "raw", "nl", "p_raw",
      "p_dgr", "mptcp", "sctp", "icmp", "icmp6");

  private final String id;
  private final String description;

  CaptureFormat(String id, String description) {
    this.id = id;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public static Optional<CaptureFormat> byId(String id) {
    for (CaptureFormat f : values()) {
      if (f.id.equals(id.toLowerCase(Locale.ROOT))) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * Parses socket tables (every format but {@link #EXCLUDEDPORTRANGE}).
   *
   * @param protocol for formats whose rows do not name it ({@code ss -t}, {@code /proc/net/udp}, PowerShell)
   */
  public ParsedTable parse(String text, Protocol protocol) {
    return switch (this) {
      case NETSTAT -> WindowsNetstatParser.parse(text);
      case POWERSHELL_CSV -> NetTcpConnectionParser.parseCsv(text, protocol);
      case POWERSHELL_JSON -> NetTcpConnectionParser.parseJson(text, protocol);
      case POWERSHELL_TABLE -> NetTcpConnectionTableParser.parseTable(text, protocol);
      case POWERSHELL_LIST -> NetTcpConnectionTableParser.parseList(text, protocol);
      case LSOF -> LsofParser.parse(text);
      case LSOF_TABLE -> LsofTableParser.parse(text);
      case SS -> hasNetid(text) ? new SsParser().parse(text)
          : new SsParser(ssProtocolFromCommand(text).orElse(protocol)).parse(text);
      case PROC -> new ProcNetParser(procProtocol(text, protocol), procIsIpv6(text), ByteOrder.LITTLE_ENDIAN).parse(text);
      case LINUX_NETSTAT -> LinuxNetstatParser.parse(text);
      case BSD_NETSTAT -> BsdNetstatParser.parse(text);
      case EXCLUDEDPORTRANGE -> throw new IllegalStateException("not a socket table");
    };
  }

  /** The format of a capture, from its first rows; empty when none fits. */
  public static Optional<CaptureFormat> detect(String text) {
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    String trimmed = t.stripLeading();
    if (trimmed.startsWith("{") || (trimmed.startsWith("[") && isJsonArray(trimmed))) {
      return Optional.of(POWERSHELL_JSON);
    }
    int looked = 0;
    boolean dashes = false;
    int twoNumberRows = 0;
    for (String raw : (Iterable<String>) t.lines()::iterator) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (++looked > 400) {
        break;
      }
      if (line.startsWith("> ")) {
        line = line.substring(2).strip(); // PowerShell Select-String marks matches; so do quoting mails
      }
      if (Prompts.isCommandLine(line)) {
        continue; // user@host:~$ sudo ss -ltnp, C:\>netstat -ano | findstr :8080
      }
      line = ProcNetParser.withoutGrepPrefix(line); // /proc/net/tcp:  12: 0100007F:0CEA ...
      if (NetTcpConnectionTableParser.isListLine(line)) {
        return Optional.of(POWERSHELL_LIST);
      }
      boolean csv = line.indexOf('"') >= 0 || line.indexOf(',') >= 0 || line.indexOf(';') >= 0 || line.indexOf('\t') >= 0;
      if (line.contains("LocalAddress") && line.contains("LocalPort")) {
        return Optional.of(csv ? POWERSHELL_CSV : POWERSHELL_TABLE);
      }
      if (!csv && (line.contains("LocalPort") || line.contains("OwningProcess")) && line.indexOf(':') < 0) {
        return Optional.of(POWERSHELL_TABLE); // a Select-Object subset: ProcessName LocalPort
      }
      if (LsofTableParser.isHeader(line) || LsofTableParser.isSocketRow(line)) {
        return Optional.of(LSOF_TABLE);
      }
      if (line.startsWith("sl ") && line.contains("local_address")) {
        return Optional.of(PROC);
      }
      if (raw.indexOf('\0') >= 0 || (line.length() > 1 && line.charAt(0) == 'p' && line.substring(1).chars().allMatch(Character::isDigit))) {
        return Optional.of(LSOF);
      }
      String[] f = line.split("\\s+", 8); // the first fields tell the format; never split a huge line whole
      if (f.length >= 2 && f[0].matches("\\d+:") && f[1].matches("[0-9A-Fa-f]{8}([0-9A-Fa-f]{24})?:[0-9A-Fa-f]{4}")) {
        return Optional.of(PROC);
      }
      if (f.length >= 3 && (f[0].equals("TCP") || f[0].equals("UDP")) && f[1].matches(".*:\\d+")) {
        return Optional.of(NETSTAT);
      }
      String proto = f[0].toLowerCase(Locale.ROOT);
      if (f.length >= 5 && proto.matches("(tcp|udp)(4|6|46)?")) {
        if (SS_STATES.contains(f[1])) {
          return Optional.of(SS);
        }
        String local = f[3];
        if (local.matches(".*\\.(\\d+|\\*|[A-Za-z][\\w-]*)")) {
          return Optional.of(BSD_NETSTAT); // 127.0.0.1.8080, *.ssh, localhost.4380
        }
        if (local.matches(".*:(\\d+|\\*|[A-Za-z][\\w-]*)")) {
          return Optional.of(LINUX_NETSTAT); // 127.0.0.1:8080, localhost:ipp
        }
      }
      if (f.length >= 4 && (SS_STATES.contains(f[0]) || line.startsWith("Netid ") || line.startsWith("State "))) {
        return Optional.of(SS);
      }
      if (f.length >= 4 && SS_OTHER_NETIDS.contains(f[0]) && SS_STATES.contains(f[1])) {
        return Optional.of(SS); // ss | grep name: only unix or raw sockets matched
      }
      if (line.chars().allMatch(c -> c == '-' || c == ' ')) {
        dashes = true;
      }
      if ((f.length == 2 || (f.length == 3 && f[2].equals("*"))) && f[0].matches("\\d{1,5}") && f[1].matches("\\d{1,5}")) {
        twoNumberRows++;
      }
    }
    if (dashes && twoNumberRows > 0) {
      return Optional.of(EXCLUDEDPORTRANGE);
    }
    // a Format-Table whose header is in words of its own: told by its dashes line and address rows
    return dashes && NetTcpConnectionTableParser.looksLikeTable(t) ? Optional.of(POWERSHELL_TABLE) : Optional.empty();
  }

  /** {@code [} then a {@code {}, a {@code ]} or nothing: JSON, not a {@code [root@host ~]#} prompt. */
  private static boolean isJsonArray(String trimmed) {
    for (int i = 1; i < trimmed.length() && i < 4096; i++) {
      char c = trimmed.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == ']';
      }
    }
    return true;
  }

  /**
   * The protocol of an ss capture without a Netid column, from the command line pasted in front of it
   * ({@code $ ss -uln}: UDP; {@code ss -ltnp}: TCP): its rows do not say, and UDP rows read as TCP would be
   * wrong (UNCONN is TCP's CLOSE). Empty when no such line names exactly one of -t and -u.
   */
  static Optional<Protocol> ssProtocolFromCommand(String text) {
    for (String raw : Lines.of(text)) {
      String line = Lines.unquote(raw).strip();
      if (!Prompts.isCommandLine(line)) {
        continue;
      }
      String[] words = line.split("\\s+");
      boolean ss = false;
      boolean tcp = false;
      boolean udp = false;
      for (String w : words) {
        if (w.equals("ss") || w.endsWith("/ss")) {
          ss = true;
        } else if (w.equals("|")) {
          break;
        } else if (ss && w.startsWith("-") && !w.startsWith("--")) {
          tcp |= w.indexOf('t') > 0;
          udp |= w.indexOf('u') > 0;
        } else if (ss && (w.equals("--tcp") || w.equals("--udp"))) {
          tcp |= w.equals("--tcp");
          udp |= w.equals("--udp");
        }
      }
      if (ss && tcp != udp) {
        return Optional.of(tcp ? Protocol.TCP : Protocol.UDP);
      }
    }
    return Optional.empty();
  }

  private static boolean hasNetid(String text) {
    for (String line : (Iterable<String>) text.lines()::iterator) {
      String l = Lines.unquote(line).strip();
      if (l.isEmpty() || Prompts.isCommandLine(l)) {
        continue;
      }
      String first = l.split("\\s+", 2)[0];
      if (first.equals("Netid")) {
        return true;
      }
      if (first.equals("State")) {
        return false;
      }
      return List.of("tcp", "udp", "raw", "u_str", "u_dgr", "nl", "p_raw", "mptcp").contains(first);
    }
    return false;
  }

  /** /proc/net/udp's header ends with "ref pointer drops"; tcp's does not. */
  private static Protocol procProtocol(String text, Protocol fallback) {
    String header = text.lines().limit(8).filter(l -> l.contains("local_address")).findFirst().orElse("");
    if (!header.isEmpty()) {
      return text.contains("ref pointer") || header.contains("drops") ? Protocol.UDP : Protocol.TCP;
    }
    if (text.contains("/proc/net/udp")) {
      return Protocol.UDP; // grep /proc/net/udp6 ... names the table
    }
    return fallback;
  }

  private static boolean procIsIpv6(String text) {
    for (String line : (Iterable<String>) text.lines()::iterator) {
      String[] f = ProcNetParser.withoutGrepPrefix(line).strip().split("\\s+", 3);
      if (f.length >= 2 && f[0].matches("\\d+:")) {
        return f[1].indexOf(':') == 32;
      }
    }
    return false;
  }
}
