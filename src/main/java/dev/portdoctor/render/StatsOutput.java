package dev.portdoctor.render;

import dev.portdoctor.core.StatsReport;
import dev.portdoctor.core.StatsReport.Count;
import dev.portdoctor.core.StatsReport.EndpointUse;
import dev.portdoctor.core.StatsReport.Finding;
import dev.portdoctor.core.StatsReport.Group;
import dev.portdoctor.core.StatsReport.ProcessCount;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Output of {@code portdoctor stats}, for people and as JSON (docs/json.md). Untrusted text is escaped. */
public final class StatsOutput {
  private StatsOutput() {}

  public static void text(PrintWriter out, Style style, StatsReport r) {
    if (r.findings().isEmpty()) {
      out.println(style.green("no finding") + ": " + r.total() + " sockets, nothing over its threshold");
    } else {
      for (Finding f : r.findings()) {
        out.println(style.yellow("warning") + ": " + Text.escape(f.warning()));
        out.println("  remedy: " + Text.escape(f.remedy()) + style.dim("  (" + f.kind() + ", threshold " + f.threshold()
            + (f.kind().equals("ephemeral-ports") ? "%" : "") + ")"));
      }
    }
    out.println();
    List<String> parts = new ArrayList<>();
    for (Count c : r.counts()) {
      parts.add(c.protocol().label() + " " + c.state().name() + " " + c.count());
    }
    out.println(style.bold("sockets") + ": " + r.total() + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")"));
    if (r.ephemeralRange().isPresent()) {
      var range = r.ephemeralRange().get();
      out.println(style.bold("ephemeral range") + ": " + range + " ("
          + range.size() + " ports per local address and destination)");
      for (EndpointUse u : r.ephemeralUse()) {
        out.println(String.format(Locale.ROOT, "  %s -> %s  %d (%.1f%%)", u.localAddress(), u.remote(), u.count(),
            u.percent()));
      }
    }
    out.println(style.bold("TIME_WAIT") + ": " + r.timeWait());
    for (Group g : r.timeWaitGroups()) {
      out.println("  " + (g.side().equals("client") ? "to " : "on server port ") + g.endpoint() + "  " + g.count());
    }
    out.println(style.bold("CLOSE_WAIT") + ": " + r.closeWait());
    for (ProcessCount pc : r.closeWaitProcesses()) {
      out.println("  pid " + pc.process().pid() + "  " + Text.escape(pc.process().name()) + "  " + pc.count());
    }
    out.println(style.bold("most sockets") + ":" + (r.topProcesses().isEmpty() ? " (no process could be named)" : ""));
    for (ProcessCount pc : r.topProcesses()) {
      out.println("  pid " + pc.process().pid() + "  " + Text.escape(pc.process().name()) + "  " + pc.count());
    }
    out.flush();
  }

  public static Map<String, Object> json(StatsReport r) {
    Map<String, Object> m = JsonModel.envelope("stats");
    m.put("total", r.total());
    List<Object> counts = new ArrayList<>();
    for (Count c : r.counts()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("protocol", c.protocol().label());
      e.put("state", c.state().name());
      e.put("count", c.count());
      counts.add(e);
    }
    m.put("counts", counts);
    m.put("ephemeralRange", r.ephemeralRange().map(x -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("start", x.first());
      e.put("end", x.last());
      e.put("size", x.size());
      return (Object) e;
    }).orElse(null));
    List<Object> uses = new ArrayList<>();
    for (EndpointUse u : r.ephemeralUse()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("localAddress", u.localAddress());
      e.put("remoteAddress", u.remote().address());
      e.put("remotePort", u.remote().port());
      e.put("count", u.count());
      e.put("percent", Math.round(u.percent() * 10) / 10.0);
      uses.add(e);
    }
    m.put("ephemeralUse", uses);
    Map<String, Object> tw = new LinkedHashMap<>();
    tw.put("total", r.timeWait());
    List<Object> groups = new ArrayList<>();
    for (Group g : r.timeWaitGroups()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("side", g.side());
      e.put("address", g.endpoint().address());
      e.put("port", g.endpoint().port());
      e.put("count", g.count());
      groups.add(e);
    }
    tw.put("groups", groups);
    m.put("timeWait", tw);
    Map<String, Object> cw = new LinkedHashMap<>();
    cw.put("total", r.closeWait());
    cw.put("processes", processes(r.closeWaitProcesses()));
    m.put("closeWait", cw);
    m.put("topProcesses", processes(r.topProcesses()));
    List<Object> findings = new ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("kind", f.kind());
      e.put("count", f.count());
      e.put("threshold", f.threshold());
      e.put("warning", f.warning());
      e.put("remedy", f.remedy());
      e.put("pid", f.pid().map(p -> (Object) p).orElse(null));
      e.put("address", f.endpoint().map(x -> (Object) x.address()).orElse(null));
      e.put("port", f.endpoint().map(x -> (Object) x.port()).orElse(null));
      findings.add(e);
    }
    m.put("findings", findings);
    return m;
  }

  private static List<Object> processes(List<ProcessCount> list) {
    List<Object> out = new ArrayList<>();
    for (ProcessCount pc : list) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("pid", pc.process().pid());
      e.put("name", pc.process().name());
      e.put("commandLine", pc.process().commandLine().orElse(null));
      e.put("count", pc.count());
      out.add(e);
    }
    return out;
  }
}
