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
  private static final String ALL_NETNS = "--all-netns";

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
    Options.flag(spec, "Look in every network namespace of the host (containers, ip netns), as root (Linux).", ALL_NETNS);
    Options.source(spec);
    Options.remote(spec);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor who 8080",
        "  portdoctor who 5353 --udp",
        "  portdoctor who 443 --all --json",
        "  sudo portdoctor who 8080 --all-netns");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    PortSet ports = Options.ports(pr);
    Set<Protocol> protocols = Options.protocols(pr);
    if (Options.remote(pr)) {
      return RemoteTasks.who(pr, ctx, ports, protocols, Options.has(pr, Options.ALL));
    }
    if (Options.has(pr, ALL_NETNS)) {
      return allNamespaces(pr, ctx, ports, protocols);
    }
    List<WhoResult> results = ctx.doctor().who(ports, protocols, Options.has(pr, Options.ALL));
    boolean allHeld = results.stream().allMatch(r -> !r.sockets().isEmpty());
    // only when the answer is "nobody": other namespaces are looked for, never on the common path
    int others = allHeld ? 0 : ctx.environment().otherNamespaces().applyAsInt(ctx.doctor().platform());
    String hint = "it may be held in another network namespace (" + others + " more on this host): try --all-netns as root";
    if (Options.has(pr, Options.JSON)) {
      java.util.Map<String, Object> m = JsonModel.who(results);
      m.put("hint", others > 0 ? hint : null);
      Json.write(m, ctx.out());
    } else if (!Options.has(pr, Options.QUIET)) {
      new TextReport(ctx.out(), ctx.style(), ctx.terminal().width()).who(results, Options.protocolLabel(protocols));
      if (others > 0) {
        ctx.out().println("  " + hint);
        ctx.out().flush();
      }
    }
    return allHeld ? ExitCode.OK.code() : ExitCode.NO.code();
  }

  private static int allNamespaces(ParseResult pr, Context ctx, PortSet ports, Set<Protocol> protocols) {
    dev.portdoctor.core.Platform platform = ctx.doctor().platform();
    if (!platform.facts().isPrivileged()) {
      ctx.err().println("portdoctor: not root: only the network namespaces of this user's processes are searched");
      ctx.err().flush();
    }
    List<dev.portdoctor.core.NamespaceWho> found = NamespaceSearch.who(platform, ports, protocols, Options.has(pr, Options.ALL));
    if (Options.has(pr, Options.JSON)) {
      Json.write(dev.portdoctor.render.NamespaceReport.json(found, ports.toList()), ctx.out());
    } else if (!Options.has(pr, Options.QUIET)) {
      dev.portdoctor.render.NamespaceReport.text(ctx.out(), ctx.style(), ctx.terminal().width(), found, ports.toList(),
          Options.protocolLabel(protocols));
    }
    for (int i = 0; i < ports.toList().size(); i++) {
      int k = i;
      if (found.stream().allMatch(ns -> ns.results().get(k).sockets().isEmpty())) {
        return ExitCode.NO.code();
      }
    }
    return ExitCode.OK.code();
  }
}
