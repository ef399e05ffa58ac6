package dev.portdoctor.cli;

import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.os.CaptureFormat;
import dev.portdoctor.os.windows.ExcludedPortRange;
import dev.portdoctor.os.windows.ExcludedPortRangeParser;
import dev.portdoctor.os.windows.ExcludedPortRanges;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.Text;
import dev.portdoctor.render.TextReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code portdoctor parse FILE|-}: reads a socket table captured on another machine (a support ticket, a
 * CI log) and prints it as {@code list} does. The PIDs are the other machine's: no local process is
 * looked up, only the names the capture itself prints.
 */
final class ParseCommand implements Command {
  private static final String FORMAT = "--format";
  private static final String PORT = "--port";
  private static final String PID = "--pid";
  /** A capture larger than this is not a socket table. */
  private static final int MAX_BYTES = 64 * 1024 * 1024;

  @Override
  public CommandSpec spec() {
    List<String> formats = new ArrayList<>();
    for (CaptureFormat f : CaptureFormat.values()) {
      formats.add(String.format("  %-18s %s", f.id(), f.description()));
    }
    List<String> desc = new ArrayList<>(List.of("",
        "FILE is the captured text, or - for standard input. Formats (auto detects them from the rows):"));
    desc.addAll(formats);
    desc.add("");
    desc.add("Each line it cannot read, or reads only in part, is named on stderr with its line number and the"
        + " reason (the first 20; then a count); if it reads nothing, it names the first such line and exits 2."
        + " When no row passes the filters, stderr says which options would show the rows it did read.");
    CommandSpec spec = Options.command("parse",
        "Read netstat, ss, lsof, PowerShell, /proc or netsh output captured elsewhere; print it as 'list' does.",
        desc.toArray(new String[0]));
    spec.addPositional(PositionalParamSpec.builder().paramLabel("FILE").arity("1").required(true).type(String.class)
        .description("The capture, or - for standard input.").build());
    Options.value(spec, "FORMAT", String.class, "auto (default) or one of the formats above.", FORMAT);
    Options.protocols(spec);
    Options.flag(spec, "Every state (ESTABLISHED, TIME_WAIT...), not only LISTEN / unconnected UDP.", Options.ALL);
    Options.value(spec, "PORTS", String.class, "Only these ports: 8080, 80,443, 8000-8999.", PORT);
    Options.value(spec, "PID", long.class, "Only sockets that this process (of the captured machine) holds.", PID);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor parse netstat-ano.txt --port 8080",
        "  netstat -ano > out.txt   (on Windows), then: portdoctor parse out.txt --json",
        "  ss -tanup | portdoctor parse - --all --tcp --udp");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    String file = pr.matchedPositionalValue(0, "-");
    String formatName = pr.matchedOptionValue(FORMAT, "auto");
    Optional<CaptureFormat> chosen = formatName.equals("auto") ? Optional.empty() : CaptureFormat.byId(formatName);
    if (!formatName.equals("auto") && chosen.isEmpty()) {
      throw PortDoctorException.usage("invalid --format '" + formatName + "': expected auto or one of "
          + java.util.Arrays.stream(CaptureFormat.values()).map(CaptureFormat::id).collect(Collectors.joining(", ")));
    }
    PortSet ports = pr.hasMatchedOption(PORT) ? PortSet.parse(List.of(pr.matchedOptionValue(PORT, ""))) : PortSet.all();
    OptionalLong pid = pr.hasMatchedOption(PID) ? OptionalLong.of(pr.matchedOptionValue(PID, 0L)) : OptionalLong.empty();
    Set<Protocol> protocols = Options.protocols(pr);
    String text = read(file);
    CaptureFormat format = chosen.orElseGet(() -> CaptureFormat.detect(text).orElseThrow(() ->
        PortDoctorException.usage("cannot tell the format of " + name(file) + " (first line: '"
            + Text.truncate(text.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip(), 80)
            + "'); name it with --format")));
    boolean json = Options.has(pr, Options.JSON);
    boolean quiet = Options.has(pr, Options.QUIET);

    if (format == CaptureFormat.EXCLUDEDPORTRANGE) {
      ExcludedPortRanges ranges = ExcludedPortRangeParser.parse(text);
      if (ranges.ranges().isEmpty()) {
        throw PortDoctorException.usage(name(file) + ": no port range could be read");
      }
      reportNotes(new ParsedTable(List.of(), ranges.skippedLines(), ranges.notes()), name(file), format, ctx);
      if (json) {
        Map<String, Object> m = rangesJson(ranges);
        m.put("lineNotes", notesJson(new ParsedTable(List.of(), ranges.skippedLines(), ranges.notes())));
        Json.write(m, ctx.out());
      } else if (!quiet) {
        for (ExcludedPortRange r : ranges.ranges()) {
          ctx.out().println(String.format("%5d  %5d%s", r.start(), r.end(), r.administered() ? "  * administered" : ""));
        }
        ctx.out().flush();
      }
      return ExitCode.OK.code();
    }

    Protocol hint = protocols.contains(Protocol.TCP) ? Protocol.TCP : Protocol.UDP;
    ParsedTable table;
    try {
      table = format.parse(text, hint);
    } catch (RuntimeException e) {
      throw PortDoctorException.usage(name(file) + ": cannot read it as " + format.id() + ": " + e.getMessage());
    }
    if (table.entries().isEmpty() && table.skippedLines() > 0) {
      throw PortDoctorException.usage(name(file) + ": line " + table.firstSkippedLine().getAsInt()
          + " cannot be read as " + format.id() + ": '" + Text.escape(Text.truncate(table.firstSkippedText().strip(), 100))
          + "'");
    }
    reportNotes(table, name(file), format, ctx);
    List<SocketReport> reports = new PortDoctor(capturedPlatform(table.entries()))
        .list(ports, protocols, Options.has(pr, Options.ALL), pid);
    if (json) {
      Map<String, Object> m = JsonModel.list(reports);
      m.put("command", "parse");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("schemaVersion", m.get("schemaVersion"));
      out.put("command", "parse");
      out.put("format", format.id());
      out.put("skippedLines", table.skippedLines());
      out.put("lineNotes", notesJson(table));
      out.put("sockets", m.get("sockets"));
      Json.write(out, ctx.out());
    } else if (!quiet) {
      new TextReport(ctx.out(), ctx.style(), ctx.terminal().width()).list(reports);
      if (reports.isEmpty() && !table.entries().isEmpty()) {
        ctx.err().println("portdoctor: " + name(file) + ": "
            + nothingMatches(table.entries(), protocols, Options.has(pr, Options.ALL), ports, pid));
        ctx.err().flush();
      }
    }
    return reports.isEmpty() ? ExitCode.NO.code() : ExitCode.OK.code();
  }

  /**
   * Why a capture that was read shows no row: how many of its sockets each filter left out, and the
   * option that shows them (a pasted UDP table read as TCP is the common case).
   */
  static String nothingMatches(List<SocketEntry> entries, Set<Protocol> protocols, boolean all, PortSet ports,
      OptionalLong pid) {
    int otherProtocol = 0;
    int otherState = 0;
    int otherPort = 0;
    int otherPid = 0;
    for (SocketEntry e : entries) {
      if (!protocols.contains(e.protocol())) {
        otherProtocol++;
      } else if (!all && !e.state().isListening()) {
        otherState++;
      } else if (!ports.contains(e.local().port())) {
        otherPort++;
      } else if (pid.isPresent()) {
        otherPid++;
      }
    }
    List<String> why = new ArrayList<>();
    if (otherProtocol > 0) {
      String missing = protocols.contains(Protocol.TCP) ? "UDP" : "TCP";
      why.add(otherProtocol + " " + missing + " socket(s) (add --" + missing.toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (otherState > 0) {
      why.add(otherState + " not listening (add --all)");
    }
    if (otherPort > 0) {
      why.add(otherPort + " on other ports than --port");
    }
    if (otherPid > 0) {
      why.add(otherPid + " of other processes than --pid " + pid.getAsLong());
    }
    return "none of the " + entries.size() + " socket(s) read matches: " + String.join(", ", why);
  }

  /** Lines printed one by one on stderr; past these, a count. */
  private static final int NOTES_SHOWN = 20;

  /**
   * Says on stderr which lines were skipped or read only in part, each with its line number, the
   * reason and the text (escaped: a capture is untrusted text), then a summary count.
   */
  private static void reportNotes(ParsedTable table, String name, CaptureFormat format, Context ctx) {
    if (table.notes().isEmpty() && table.skippedLines() == 0) {
      return;
    }
    int shown = 0;
    for (ParsedTable.LineNote n : table.notes()) {
      if (shown++ == NOTES_SHOWN) {
        break;
      }
      ctx.err().println("portdoctor: " + name + ": line " + n.line() + (n.skipped() ? " skipped" : " read in part")
          + " (" + Text.escape(n.problem()) + "): '" + Text.escape(Text.truncate(n.text().strip(), 100)) + "'");
    }
    long partial = table.partialLines();
    StringBuilder sum = new StringBuilder("portdoctor: ").append(name).append(": ");
    if (table.skippedLines() > 0) {
      // a skipped line is not always unreadable: an lsof row bound to no port (*:*) is read and left out
      sum.append("skipped ").append(table.skippedLines()).append(" line(s) of this ").append(format.id())
          .append(" capture (first: line ").append(table.firstSkippedLine().getAsInt()).append(')');
    }
    if (partial > 0) {
      sum.append(table.skippedLines() > 0 ? "; " : "").append("read ").append(partial).append(" line(s) in part");
    }
    if (table.notes().size() > NOTES_SHOWN) {
      sum.append("; ").append(table.notes().size() - NOTES_SHOWN).append(" more noted line(s) not shown");
    }
    ctx.err().println(sum);
    ctx.err().flush();
  }

  private static List<Object> notesJson(ParsedTable table) {
    List<Object> out = new ArrayList<>();
    for (ParsedTable.LineNote n : table.notes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("line", n.line());
      m.put("skipped", n.skipped());
      m.put("problem", n.problem());
      m.put("text", n.text());
      out.add(m);
    }
    return out;
  }

  /** A platform whose socket table is the capture and whose processes are unknown (another machine's). */
  private static Platform capturedPlatform(List<SocketEntry> entries) {
    SocketSource captured = new SocketSource() {
      @Override
      public String name() {
        return "capture";
      }

      @Override
      public List<SocketEntry> snapshot(SocketQuery q) {
        List<SocketEntry> out = new ArrayList<>();
        for (SocketEntry e : entries) {
          if (q.accepts(e.protocol(), e.local().port(), e.state())) {
            out.add(e);
          }
        }
        return out;
      }
    };
    dev.portdoctor.core.SystemFacts facts = new dev.portdoctor.core.SystemFacts() {
      @Override
      public boolean isPrivileged() {
        return false;
      }

      @Override
      public java.util.OptionalInt unprivilegedPortStart() {
        return java.util.OptionalInt.empty();
      }

      @Override
      public boolean hasIpv6() {
        return true;
      }
    };
    // no probe, no process control: parse never binds and never signals
    return new Platform("capture", captured, pid -> Optional.empty(), null, facts, null);
  }

  private static Map<String, Object> rangesJson(ExcludedPortRanges ranges) {
    Map<String, Object> m = JsonModel.envelope("parse");
    m.put("format", CaptureFormat.EXCLUDEDPORTRANGE.id());
    List<Object> list = new ArrayList<>();
    for (ExcludedPortRange r : ranges.ranges()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("start", r.start());
      e.put("end", r.end());
      e.put("administered", r.administered());
      list.add(e);
    }
    m.put("ranges", list);
    return m;
  }

  private static String name(String file) {
    return file.equals("-") ? "standard input" : file;
  }

  private static String read(String file) {
    try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
      byte[] b = in.readNBytes(MAX_BYTES + 1);
      if (b.length > MAX_BYTES) {
        throw PortDoctorException.usage(name(file) + " is larger than " + (MAX_BYTES >> 20) + " MiB: not a socket table");
      }
      return new String(b, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw PortDoctorException.usage("cannot read " + file + ": no such file");
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw PortDoctorException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }
}
