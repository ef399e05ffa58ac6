package dev.portdoctor.render;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.Holder;
import dev.portdoctor.core.KillOutcome;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.KillTarget;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.core.Verdict;
import dev.portdoctor.core.WhoResult;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Output for people: a verdict line first, details indented under it. All untrusted text is escaped. */
public final class TextReport {
  private final PrintWriter out;
  private final Style style;
  private final int width;

  /**
   * @param width the terminal's width to cut long command lines at, or 0 for no cut (output piped)
   */
  public TextReport(PrintWriter out, Style style, int width) {
    this.out = out;
    this.style = style;
    this.width = width;
  }

  // ---------------------------------------------------------------- who

  public void who(List<WhoResult> results, String protocols) {
    for (WhoResult r : results) {
      if (r.sockets().isEmpty()) {
        out.println(style.bold("port " + r.port()) + ": nothing holds it (" + protocols + ")");
        continue;
      }
      out.println(style.bold("port " + r.port()) + ": " + Text.escape(r.verdict()));
      for (SocketReport s : r.sockets()) {
        socketBlock(s, "  ");
      }
      r.remedy().ifPresent(m -> out.println("  remedy: " + Text.escape(m)));
    }
    out.flush();
  }

  private void socketBlock(SocketReport r, String indent) {
    SocketEntry s = r.socket();
    StringBuilder head = new StringBuilder(indent);
    head.append(s.protocol().label()).append("  ").append(s.state().name()).append("  ").append(s.local());
    s.remote().ifPresent(rem -> head.append(" -> ").append(rem));
    String owner = ownerSummary(r);
    if (!owner.isEmpty()) {
      head.append("  ").append(owner);
    }
    out.println(head);
    for (Holder h : r.holders()) {
      holderBlock(h, indent + "  " + "  ".repeat(h.depth()));
    }
  }

  /** What to say beside the socket: why no process is shown, or that several share it. */
  private static String ownerSummary(SocketReport r) {
    if (r.note().isPresent()) {
      return Text.escape(r.note().get());
    }
    if (r.holders().size() > 1) {
      String under = r.commonAncestor()
          .map(a -> " under " + Text.escape(a.name()) + " (pid " + a.pid() + ")").orElse("");
      return "shared by " + r.holders().size() + " processes" + under;
    }
    return "";
  }

  private void holderBlock(Holder h, String indent) {
    ProcessInfo p = h.process();
    StringBuilder line = new StringBuilder(indent);
    line.append(style.bold("pid " + p.pid())).append("  ").append(Text.escape(p.name()));
    List<String> facts = new ArrayList<>();
    p.user().ifPresent(u -> facts.add("user " + Text.escape(u)));
    p.startTime().ifPresent(t -> facts.add("started " + time(t)));
    if (!facts.isEmpty()) {
      line.append("  (").append(String.join(", ", facts)).append(')');
    }
    out.println(line);
    p.commandLine().ifPresent(c -> out.println(indent + "  command: " + Text.escape(c)));
    if (!h.services().isEmpty()) {
      out.println(indent + "  services: " + Text.escape(String.join(", ", h.services())));
    }
    h.note().ifPresent(n -> out.println(indent + "  note: " + Text.escape(n)));
    h.origin().ifPresent(o -> out.println(indent + "  behind it: " + Text.escape(o.kind() + " " + o.name()
        + (o.detail().isEmpty() ? "" : " (" + o.detail() + ")")) + "; " + Text.escape(o.remedy())));
    if (!h.ancestors().isEmpty()) {
      out.println(indent + "  parents: " + chain(h.ancestors()));
    }
  }

  static String chain(List<ProcessInfo> ancestors) {
    StringBuilder sb = new StringBuilder();
    for (ProcessInfo a : ancestors) {
      if (sb.length() > 0) {
        sb.append(" < ");
      }
      sb.append(Text.escape(a.name())).append(" (").append(a.pid()).append(')');
    }
    return sb.toString();
  }

  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private String cut(String line) {
    return width > 0 ? Text.truncate(line, width) : line;
  }

  // ---------------------------------------------------------------- list

  public void list(List<SocketReport> reports) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"PROTO", "LOCAL", "REMOTE", "STATE", "PID", "USER", "PROCESS", "COMMAND"});
    boolean anyRemote = false;
    // a busy machine has thousands of sockets of a few processes: their columns are made once each
    Map<ProcessInfo, String[]> columns = new IdentityHashMap<>();
    for (SocketReport r : reports) {
      SocketEntry s = r.socket();
      anyRemote |= s.remote().isPresent();
      if (r.holders().size() == 1) {
        ProcessInfo p = r.holders().get(0).process();
        String[] c = columns.get(p);
        if (c == null) {
          c = new String[] {Long.toString(p.pid()), p.user().map(Text::escape).orElse(""), Text.escape(p.name()),
            p.commandLine().map(Text::escape).orElse("")};
          columns.put(p, c);
        }
        rows.add(new String[] {
          s.protocol().label(), s.local().toString(), s.remote().map(Object::toString).orElse("*"),
          s.state().name(), c[0], c[1], c[2], c[3]
        });
        continue;
      }
      Set<String> pids = new LinkedHashSet<>();
      Set<String> users = new LinkedHashSet<>();
      Set<String> names = new LinkedHashSet<>();
      String command = "";
      for (Holder h : r.holders()) {
        pids.add(Long.toString(h.process().pid()));
        h.process().user().ifPresent(u -> users.add(Text.escape(u)));
        names.add(Text.escape(h.process().name()));
        if (command.isEmpty() && h.process().commandLine().isPresent()) {
          command = Text.escape(h.process().commandLine().get());
        }
      }
      String pid = pids.isEmpty() ? placeholder(s) : String.join(",", pids);
      rows.add(new String[] {
        s.protocol().label(), s.local().toString(), s.remote().map(Object::toString).orElse("*"),
        s.state().name(), pid, String.join(",", users), String.join(",", names), command
      });
    }
    if (!anyRemote) {
      for (int i = 0; i < rows.size(); i++) {
        String[] r = rows.get(i);
        rows.set(i, new String[] {r[0], r[1], r[3], r[4], r[5], r[6], r[7]});
      }
    }
    table(rows);
    out.flush();
  }

  private static String placeholder(SocketEntry s) {
    if (s.ownerStatus() == OwnerStatus.HIDDEN) {
      return "hidden" + (s.uid().isPresent() ? "(uid " + s.uid().getAsInt() + ")" : "");
    }
    return s.ownerStatus() == OwnerStatus.NONE ? "-" : "?";
  }

  private void table(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < cols - 1; c++) {
        w[c] = Math.max(w[c], r[c].length());
      }
    }
    int widest = 0;
    for (int c = 0; c < cols; c++) {
      widest = Math.max(widest, w[c]);
    }
    // thousands of rows on a busy machine: one line buffer and one run of spaces, appended in slices
    String spaces = " ".repeat(widest + 2);
    boolean header = true;
    StringBuilder sb = new StringBuilder(256);
    for (String[] r : rows) {
      sb.setLength(0);
      for (int c = 0; c < cols; c++) {
        sb.append(r[c]);
        if (c < cols - 1) {
          sb.append(spaces, 0, w[c] - r[c].length() + 2);
        }
      }
      int end = sb.length();
      while (end > 0 && Character.isWhitespace(sb.charAt(end - 1))) {
        end--;
      }
      String line = cut(sb.substring(0, end));
      out.println(header ? style.bold(line) : line);
      header = false;
    }
  }

  // ---------------------------------------------------------------- kill

  /** The plan (dry run, or before the question) or the result of each port's kill. */
  public void killPlans(List<KillReport> reports, boolean planOnly) {
    for (KillReport r : reports) {
      String port = r.port() + "/" + r.protocol().label();
      if (r.status() == KillReport.Status.NOTHING_HELD) {
        out.println(style.bold(port) + ": nothing holds it");
        continue;
      }
      out.println(style.bold(port) + ": " + holders(r));
      if (!r.plan().isEmpty()) {
        out.println("  " + (planOnly ? "would end, in this order:" : "plan:"));
        for (KillTarget t : r.plan()) {
          StringBuilder line = new StringBuilder("    pid ").append(t.pid()).append("  ")
              .append(Text.escape(t.process().name())).append("  ").append(t.role());
          t.process().user().ifPresent(u -> line.append("  user ").append(Text.escape(u)));
          t.refusal().ifPresent(why -> line.append("  ").append(style.yellow("not ended: " + why)));
          out.println(line);
        }
      }
      if (!r.outcomes().isEmpty()) {
        out.println("  result:");
        for (KillOutcome o : r.outcomes()) {
          String label = switch (o.result()) {
            case STOPPED, FORCED, GONE -> style.green(o.result().label());
            case PLANNED -> o.result().label();
            default -> style.red(o.result().label());
          };
          out.println("    pid " + o.pid() + "  " + Text.escape(o.name()) + "  " + label + "  " + Text.escape(o.detail()));
        }
      }
      boolean sameAsHeader = r.plan().isEmpty() && r.outcomes().isEmpty();
      if (!sameAsHeader && (!planOnly || r.status() != KillReport.Status.PLANNED)) {
        String msg = Text.escape(r.message());
        out.println("  " + (r.status() == KillReport.Status.FREED ? style.green(msg) : style.red(msg)));
      }
    }
    out.flush();
  }

  private static String holders(KillReport r) {
    Set<String> names = new LinkedHashSet<>();
    Set<String> notes = new LinkedHashSet<>();
    for (SocketReport s : r.holders()) {
      s.note().ifPresent(n -> notes.add(Text.escape(n)));
      for (Holder h : s.holders()) {
        if (h.depth() == 0) {
          names.add("pid " + h.process().pid() + " (" + Text.escape(h.process().name()) + ")");
        }
      }
    }
    List<String> parts = new ArrayList<>();
    if (!names.isEmpty()) {
      parts.add("held by " + String.join(", ", names));
    }
    parts.addAll(notes);
    return String.join("; ", parts);
  }

  // ---------------------------------------------------------------- check

  public void check(List<CheckResult> results) {
    for (CheckResult r : results) {
      String label = switch (r.verdict()) {
        case FREE -> style.green("FREE");
        case IN_USE -> style.red("IN USE");
        case NOT_BINDABLE -> style.red("NOT BINDABLE");
      };
      String pad = " ".repeat(Math.max(1, 13 - r.verdict().label().length()));
      String port = r.port() + "/" + r.protocol().label();
      out.println(style.bold(port) + " ".repeat(Math.max(1, 12 - port.length())) + label + pad + r.reason());
      String indent = " ".repeat(12);
      for (dev.portdoctor.core.Warning w : r.warnings()) {
        out.println(indent + style.yellow("note: ") + w.message());
      }
      if (r.verdict() != Verdict.FREE || r.strictTimeWait()) {
        out.println(indent + "trial binds: " + probes(r.probes()));
        for (SocketReport s : r.sockets()) {
          socketBlock(s, indent);
        }
        r.remedy().ifPresent(m -> out.println(indent + "remedy: " + m));
      }
    }
    out.flush();
  }

  private static String probes(List<ProbeResult> probes) {
    List<String> parts = new ArrayList<>();
    // name SO_REUSEADDR only where both kinds of bind were made (never on Windows)
    boolean anyReuse = probes.stream().anyMatch(ProbeResult::reuseAddress);
    for (ProbeResult p : probes) {
      String what = p.outcome() == BindOutcome.FREE ? "free" : p.outcome().label()
          + p.message().map(m -> " (" + m + ")").orElse("");
      String addr = p.address().indexOf(':') >= 0 ? "[" + p.address() + "]" : p.address();
      parts.add(addr + (anyReuse && !p.reuseAddress() ? " without SO_REUSEADDR" : "") + ": " + what);
    }
    return String.join("; ", parts);
  }

  // ---------------------------------------------------------------- wait (issue 5)

  /** One line per port: met or not, after how long, and the evidence; who still holds a busy port. */
  public void waitFor(dev.portdoctor.core.WaitResult r) {
    boolean listening = r.condition() == dev.portdoctor.core.Waiter.Condition.LISTENING;
    for (dev.portdoctor.core.WaitResult.PortStatus s : r.ports()) {
      String port = s.port() + "/" + r.protocol().label();
      String label;
      String detail;
      if (s.met()) {
        label = style.green(listening ? "LISTENING" : "FREE");
        String after = "after " + duration(s.metAfter().orElse(r.elapsed()));
        detail = switch (r.method()) {
          case "table" -> after + ": a LISTEN socket on "
              + new dev.portdoctor.core.Endpoint(s.answeredBy().orElse("?"), s.port());
          case "connect" -> after + ": " + connectSummary(s, true);
          default -> after + ": " + (r.addresses().size() == 1 ? "a trial bind on " : "trial binds on ")
              + dev.portdoctor.core.PortDoctor.joinAnd(r.addresses()) + " succeeded";
        };
      } else if (r.outcome() == dev.portdoctor.core.WaitResult.Outcome.INTERRUPTED) {
        label = style.yellow("WAITING");
        detail = "interrupted after " + duration(r.elapsed());
      } else {
        label = style.red(listening ? "NOT LISTENING" : "IN USE");
        String after = "after " + duration(r.elapsed());
        detail = switch (r.method()) {
          case "table" -> after + ": no LISTEN socket on the port";
          case "connect" -> after + ": " + connectSummary(s, false);
          default -> after + ": " + s.check().map(c -> c.reason()).or(s::note).orElse("a trial bind still fails");
        };
      }
      String plain = listening ? (s.met() ? "LISTENING" : "NOT LISTENING") : (s.met() ? "FREE" : "IN USE");
      if (!s.met() && r.outcome() == dev.portdoctor.core.WaitResult.Outcome.INTERRUPTED) {
        plain = "WAITING";
      }
      out.println(style.bold(port) + " ".repeat(Math.max(1, 12 - port.length())) + label
          + " ".repeat(Math.max(1, 15 - plain.length())) + detail);
      String indent = " ".repeat(12);
      s.check().ifPresent(c -> {
        out.println(indent + "trial binds: " + probes(c.probes()));
        for (SocketReport sock : c.sockets()) {
          socketBlock(sock, indent);
        }
        c.remedy().ifPresent(m -> out.println(indent + "remedy: " + m));
      });
    }
    out.flush();
  }

  /** "::1 accepted the connection (127.0.0.1: refused)", or every address's failure. */
  private static String connectSummary(dev.portdoctor.core.WaitResult.PortStatus s, boolean met) {
    List<String> others = new ArrayList<>();
    for (dev.portdoctor.core.ConnectResult c : s.attempts()) {
      if (met && s.answeredBy().isPresent() && c.address().equals(s.answeredBy().get())) {
        continue;
      }
      others.add(Text.escape(c.address()) + ": " + c.outcome().label()
          + (c.outcome() == dev.portdoctor.core.ConnectResult.Outcome.CONNECTED ? ""
              : c.message().map(m -> " (" + Text.escape(m) + ")").orElse("")));
    }
    if (!met) {
      return others.isEmpty() ? "no connection" : String.join("; ", others);
    }
    String who = Text.escape(s.answeredBy().orElse("?")) + " accepted a connection";
    return others.isEmpty() ? who : who + " (" + String.join("; ", others) + ")";
  }

  /** {@code 250 ms}, {@code 1.5 s}, {@code 30 s}, {@code 2 min 5 s}. */
  public static String duration(java.time.Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
  }
}
