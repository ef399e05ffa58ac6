package dev.portdoctor.cli;

import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.WhoResult;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.TextReport;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor who PORT...}: the processes that hold the port. */
final class WhoCommand implements Command {

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("who",
        "Which processes hold the port: PID, name, command line, user, start time, parent chain, socket.",
        "",
        "It looks at every address family: a dual-stack listener on [::] holds the IPv4 port too and is",
        "shown whichever family you have in mind. Several processes can share one socket (a server that",
        "forks workers after listen(), or SO_REUSEPORT): all are listed, each under the holder that",
        "started it. Without root, another user's socket is reported as held by that uid, never as free.",
        "On Linux it reads /proc; no ss, lsof or netstat is started.");
    Options.ports(spec, "Ports: 8080, lists 80,443 and ranges 8000-8010.");
    Options.protocols(spec);
    Options.flag(spec, "Every state (ESTABLISHED, TIME_WAIT...), not only LISTEN / unconnected UDP.", Options.ALL);
    Options.source(spec);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor who 8080",
        "  portdoctor who 5353 --udp",
        "  portdoctor who 443 --all --json");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    PortSet ports = Options.ports(pr);
    Set<Protocol> protocols = Options.protocols(pr);
    List<WhoResult> results = ctx.doctor().who(ports, protocols, Options.has(pr, Options.ALL));
    if (Options.has(pr, Options.JSON)) {
      Json.write(JsonModel.who(results), ctx.out());
    } else if (!Options.has(pr, Options.QUIET)) {
      new TextReport(ctx.out(), ctx.style(), ctx.terminal().width()).who(results, Options.protocolLabel(protocols));
    }
    boolean allHeld = results.stream().allMatch(r -> !r.sockets().isEmpty());
    return allHeld ? ExitCode.OK.code() : ExitCode.NO.code();
  }
}
