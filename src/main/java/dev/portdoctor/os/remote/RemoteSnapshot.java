package dev.portdoctor.os.remote;

import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.os.linux.LinuxNetstatParser;
import dev.portdoctor.os.linux.SsParser;
import dev.portdoctor.os.mac.BsdNetstatParser;
import dev.portdoctor.os.mac.LsofParser;
import dev.portdoctor.os.windows.NetTcpConnectionParser;
import dev.portdoctor.os.windows.WindowsNetstatParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one remote read brought back, read from the sections of its output: the host's OS, the shell
 * that ran the script (portdoctor's own process there, never to be signalled), the uid it ran as, the
 * socket table through the parser that {@code portdoctor parse} and the local path use for that tool,
 * the process facts, kernel settings and trial binds.
 *
 * @param os {@code uname -s} ({@code Linux}, {@code Darwin}) or {@code Windows}
 * @param source the tool the table came from: {@code ss}, {@code netstat}, {@code lsof},
 *     {@code bsd-netstat}, {@code powershell}, {@code windows-netstat}
 * @param self the PID of the remote shell that ran the script
 * @param settings kernel settings by sysctl name
 * @param probeMethod {@code python3}, {@code bash}, {@code powershell} or {@code none}; empty when no probe was asked
 * @param probeLines the probe's output, one result a line
 * @param tried each table command that was run and failed, with why (the fallbacks taken)
 */
public record RemoteSnapshot(
    String os,
    String source,
    OptionalLong self,
    OptionalInt uid,
    List<SocketEntry> sockets,
    Map<Long, ProcessInfo> processes,
    Map<String, String> settings,
    boolean ipv6,
    Optional<String> probeMethod,
    List<String> probeLines,
    List<String> tried) {

  /** A section of the output: its key line and the lines up to the next marker. */
  record Section(String key, String arg, List<String> lines, OptionalInt rc) {}

  /**
   * Reads the output of a read script.
   *
   * @param host for messages
   * @throws PortDoctorException (unreachable's code) when the output is not a whole answer
   */
  public static RemoteSnapshot parse(String host, String nonce, String stdout) {
    List<Section> sections = sections(nonce, stdout);
    String os = "";
    OptionalLong self = OptionalLong.empty();
    OptionalInt uid = OptionalInt.empty();
    Map<String, String> settings = new LinkedHashMap<>();
    boolean ipv6 = false;
    boolean end = false;
    String source = null;
    List<SocketEntry> sockets = new ArrayList<>();
    Map<Long, ProcessInfo> processes = new LinkedHashMap<>();
    Optional<String> probe = Optional.empty();
    List<String> probeLines = new ArrayList<>();
    List<String> tried = new ArrayList<>();
    boolean psRead = false;
    for (Section s : sections) {
      switch (s.key()) {
        case "os" -> os = s.arg().strip();
        case "self" -> self = number(s.arg());
        case "uid" -> {
          OptionalLong u = number(s.arg());
          uid = u.isPresent() && u.getAsLong() < Integer.MAX_VALUE ? OptionalInt.of((int) u.getAsLong()) : OptionalInt.empty();
        }
        case "sysctl" -> {
          int sp = s.arg().indexOf(' ');
          if (sp > 0) {
            settings.put(s.arg().substring(0, sp), s.arg().substring(sp + 1).strip());
          }
        }
        case "ipv6" -> ipv6 = s.arg().strip().equals("yes");
        case "table" -> {
          String tool = s.arg().strip();
          String text = String.join("\n", s.lines());
          boolean ok = s.rc().isPresent() && (s.rc().getAsInt() == 0 || (tool.equals("lsof") && s.rc().getAsInt() == 1));
          if (ok && tool.equals("powershell-udp") && "powershell".equals(source)) {
            sockets.addAll(table(tool, text).entries()); // the second half of the PowerShell table
            continue;
          }
          if (!ok || source != null) {
            tried.add(tool + (s.rc().isPresent() ? " exited " + s.rc().getAsInt() : " did not finish"));
            continue;
          }
          ParsedTable t = table(tool, text);
          if (t.entries().isEmpty() && t.skippedLines() > 0) {
            throw new PortDoctorException(PortDoctorException.UNREACHABLE, host + ": cannot read the output of " + tool
                + " there: line " + t.firstSkippedLine().getAsInt() + " is not what it should print: "
                + t.firstSkippedText());
          }
          sockets.addAll(t.entries());
          source = tool.equals("powershell-tcp") ? "powershell" : tool;
        }
        case "ps" -> {
          if (s.rc().isPresent() && s.rc().getAsInt() == 0) {
            processes.putAll(PsParser.parse(String.join("\n", s.lines())));
            psRead = true;
          }
        }
        case "processes" -> {
          // Windows: Win32_Process as CSV
          processes.putAll(WindowsProcesses.parseCsv(String.join("\n", s.lines())));
          psRead = true;
        }
        case "probe" -> {
          probe = Optional.of(s.arg().strip());
          probeLines.addAll(s.lines());
        }
        case "notable" -> {
          // handled below: no table tool
        }
        case "end" -> end = true;
        default -> {
          // a key of a later version: ignored
        }
      }
    }
    if (os.isEmpty()) {
      throw new PortDoctorException(PortDoctorException.UNREACHABLE, host + ": the answer is not portdoctor's (no marker"
          + " line; the login shell or a startup file may print something else)");
    }
    if (!end) {
      throw new PortDoctorException(PortDoctorException.UNREACHABLE, host + ": the answer stopped before its end (the"
          + " connection closed or the script was ended)");
    }
    if (source == null) {
      String why = tried.isEmpty() ? "none of ss, netstat and lsof is installed" : String.join("; ", tried);
      throw new PortDoctorException(PortDoctorException.UNREACHABLE, host + ": no socket table could be read there ("
          + os + "): " + why);
    }
    if (!psRead) {
      tried.add("ps failed: process details unknown");
    }
    return new RemoteSnapshot(os, source, self, uid, sockets, processes, settings, ipv6, probe, probeLines, tried);
  }

  static ParsedTable table(String tool, String text) {
    return switch (tool) {
      case "ss" -> new SsParser().parse(text);
      case "netstat" -> LinuxNetstatParser.parse(text);
      case "lsof" -> LsofParser.parse(text);
      case "bsd-netstat" -> BsdNetstatParser.parse(text);
      case "windows-netstat" -> WindowsNetstatParser.parse(text);
      case "powershell-tcp" -> NetTcpConnectionParser.parseCsv(text, Protocol.TCP);
      case "powershell-udp" -> NetTcpConnectionParser.parseCsv(text, Protocol.UDP);
      default -> throw new PortDoctorException(PortDoctorException.UNREACHABLE, "unknown table tool " + tool);
    };
  }

  /** Splits the output at its marker lines; a section's {@code rc} line closes it. */
  static List<Section> sections(String nonce, String stdout) {
    String marker = "@@pd-" + nonce + " ";
    List<Section> out = new ArrayList<>();
    String key = null;
    String arg = "";
    List<String> lines = new ArrayList<>();
    for (String raw : stdout.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (!line.startsWith(marker)) {
        if (key != null) {
          lines.add(line);
        }
        continue;
      }
      String rest = line.substring(marker.length());
      int sp = rest.indexOf(' ');
      String k = sp < 0 ? rest : rest.substring(0, sp);
      String a = sp < 0 ? "" : rest.substring(sp + 1);
      if (k.equals("rc")) {
        if (key != null) {
          out.add(new Section(key, arg, lines, rcOf(a)));
          key = null;
          lines = new ArrayList<>();
        }
        continue;
      }
      if (key != null) {
        out.add(new Section(key, arg, lines, OptionalInt.empty()));
      }
      key = k;
      arg = a;
      lines = new ArrayList<>();
    }
    if (key != null) {
      out.add(new Section(key, arg, lines, OptionalInt.empty()));
    }
    // sections without a body (os, self...) carry no rc: keep their lines empty
    return out;
  }

  private static OptionalInt rcOf(String a) {
    String t = a.strip();
    if (t.isEmpty() || t.length() > 6 || !t.chars().allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(t));
  }

  private static OptionalLong number(String s) {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(t));
  }
}
