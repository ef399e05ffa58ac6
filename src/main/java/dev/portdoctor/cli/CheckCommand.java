package dev.portdoctor.cli;

import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.Verdict;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.TextReport;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor check PORT...}: is the port free? A real trial bind, the way a server binds. */
final class CheckCommand implements Command {
  private static final String HOST = "--host";
  private static final String STRICT = "--strict";

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("check",
        "Is the port free? A trial bind, the way a server binds; if not, who holds it or why the OS refuses.",
        "",
        "By default it binds TCP on 0.0.0.0 and on :: (dual-stack, so it also covers IPv4), with",
        "SO_REUSEADDR set, as most servers on Linux and macOS do (nginx, Node.js, Go, Java). A port that",
        "only lingering TIME_WAIT connections use is then FREE, with a note that a server which does not",
        "set SO_REUSEADDR would fail there until they expire. --strict binds without SO_REUSEADDR and",
        "calls such a port IN USE. On Windows it never sets SO_REUSEADDR (there it would steal ports).",
        "A free port was free at that instant: another process may take it right after.");
    Options.ports(spec, "Ports: 8080, lists 80,443 and ranges 8000-8010.");
    Options.value(spec, "ADDR", String[].class,
        "Bind this address instead (repeatable): an IP address, or a name (all its addresses).", HOST);
    Options.flag(spec, "Check UDP instead of TCP.", Options.UDP);
    Options.flag(spec, "Bind without SO_REUSEADDR: TIME_WAIT connections make a port IN USE.", STRICT);
    Options.source(spec);
    Options.remote(spec);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor check 8080",
        "  portdoctor check 80,443 8000-8010 --json",
        "  portdoctor check 5353 --udp --host 127.0.0.1",
        "  portdoctor check 8080 && ./start-server");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    PortSet ports = Options.ports(pr);
    Protocol protocol = Options.has(pr, Options.UDP) ? Protocol.UDP : Protocol.TCP;
    if (Options.remote(pr)) {
      return RemoteTasks.check(pr, ctx, ports, protocol, Hosts.literals(pr.matchedOptionValue(HOST, new String[0])),
          Options.has(pr, STRICT));
    }
    List<String> addresses = Hosts.addressesOrDefault(pr.matchedOptionValue(HOST, new String[0]), ctx::doctor);
    PortDoctor doctor = ctx.doctor();
    List<CheckResult> results = doctor.check(ports, new PortDoctor.CheckOptions(protocol, addresses, Options.has(pr, STRICT)));
    if (Options.has(pr, Options.JSON)) {
      Json.write(JsonModel.check(results), ctx.out());
    } else if (!Options.has(pr, Options.QUIET)) {
      new TextReport(ctx.out(), ctx.style(), ctx.terminal().width()).check(results);
    }
    boolean allFree = results.stream().allMatch(r -> r.verdict() == Verdict.FREE);
    return allFree ? ExitCode.OK.code() : ExitCode.NO.code();
  }
}
