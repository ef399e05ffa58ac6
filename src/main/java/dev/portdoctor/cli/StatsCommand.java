package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.SocketStats;
import dev.portdoctor.core.StatsReport;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.StatsOutput;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor stats}: the machine's sockets at a glance, and the pile-ups that cause port trouble. */
final class StatsCommand implements Command {
  private static final String TW = "--threshold-time-wait";
  private static final String CW = "--threshold-close-wait";
  private static final String EPH = "--threshold-ephemeral";
  private static final String SOCKS = "--threshold-sockets";
  private static final String TOP = "--top";

  @Override
  public CommandSpec spec() {
    StatsReport.Thresholds d = StatsReport.Thresholds.defaults();
    CommandSpec spec = Options.command("stats",
        "Socket counts, ephemeral port use, TIME_WAIT and CLOSE_WAIT pile-ups: warnings with remedies.",
        "",
        "Socket counts by protocol and state, the ephemeral port range and its use per destination,",
        "TIME_WAIT and CLOSE_WAIT pile-ups with the processes behind them, and the processes with the most",
        "sockets. Each finding over its threshold gets a one-line warning and a remedy.",
        "",
        "A connection takes a port of the ephemeral range (net.ipv4.ip_local_port_range) for as long as it",
        "and its TIME_WAIT last; what must be unique is the 4-tuple, so the range runs out per local address",
        "and destination. CLOSE_WAIT means the peer closed and the program never closed its end: a leak.");
    Options.value(spec, "N", int.class, "TIME_WAIT sockets to one destination (or on one server port) that make a finding"
        + " (default " + d.timeWait() + ").", TW);
    Options.value(spec, "N", int.class, "CLOSE_WAIT sockets of one process that make a finding (default " + d.closeWait()
        + ").", CW);
    Options.value(spec, "PERCENT", int.class, "Use of the ephemeral range by one local address and destination that"
        + " makes a finding (default " + d.ephemeralPercent() + ").", EPH);
    Options.value(spec, "N", int.class, "Sockets of one process that make a finding (default " + d.socketsPerProcess()
        + ").", SOCKS);
    Options.value(spec, "N", int.class, "How many destinations and processes to list (default " + d.top() + ").", TOP);
    Options.source(spec);
    Options.remote(spec);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor stats",
        "  portdoctor stats --threshold-close-wait 10 --json");
    java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
    codes.put("  0", "no finding");
    codes.put("  1", "at least one finding over its threshold");
    codes.put("  2", ExitCode.USAGE.description());
    codes.put("  6", ExitCode.UNREACHABLE.description());
    codes.put(" 70", ExitCode.INTERNAL.description());
    spec.usageMessage().exitCodeList(codes);
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    StatsReport.Thresholds d = StatsReport.Thresholds.defaults();
    StatsReport.Thresholds t = new StatsReport.Thresholds(positive(pr, TW, d.timeWait()), positive(pr, CW, d.closeWait()),
        positive(pr, EPH, d.ephemeralPercent()), positive(pr, SOCKS, d.socketsPerProcess()), positive(pr, TOP, d.top()));
    if (Options.remote(pr)) {
      return RemoteTasks.stats(pr, ctx, t);
    }
    StatsReport r = new SocketStats(ctx.doctor().platform()).compute(t);
    if (Options.has(pr, Options.JSON)) {
      Json.write(StatsOutput.json(r), ctx.out());
    } else if (!Options.has(pr, Options.QUIET)) {
      StatsOutput.text(ctx.out(), ctx.style(), r);
    }
    return r.findings().isEmpty() ? ExitCode.OK.code() : ExitCode.NO.code();
  }

  private static int positive(ParseResult pr, String option, int dflt) {
    if (!pr.hasMatchedOption(option)) {
      return dflt;
    }
    int v = pr.matchedOptionValue(option, dflt);
    if (v < 1) {
      throw PortDoctorException.usage("invalid " + option + " '" + v + "': expected a number above 0");
    }
    return v;
  }
}
