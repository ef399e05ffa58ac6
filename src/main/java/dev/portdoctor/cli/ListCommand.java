package dev.portdoctor.cli;

import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.TextReport;
import java.util.List;
import java.util.OptionalLong;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor list}: every listening socket with its owners. */
final class ListCommand implements Command {
  private static final String PORT = "--port";
  private static final String PID = "--pid";

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("list",
        "Every listening socket with its owners, one line each, sorted by port.");
    Options.protocols(spec);
    Options.flag(spec, "Every state (ESTABLISHED, TIME_WAIT...), not only LISTEN / unconnected UDP.", Options.ALL);
    Options.value(spec, "PORTS", String.class, "Only these ports: 8080, 80,443, 8000-8999.", PORT);
    Options.value(spec, "PID", long.class, "Only sockets that this process holds.", PID);
    Options.source(spec);
    Options.remote(spec);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor list",
        "  portdoctor list --tcp --udp --port 1-1023",
        "  portdoctor list --pid 4242 --json");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    PortSet ports = pr.hasMatchedOption(PORT) ? PortSet.parse(List.of(pr.matchedOptionValue(PORT, ""))) : PortSet.all();
    OptionalLong pid = OptionalLong.empty();
    if (pr.hasMatchedOption(PID)) {
      long p = pr.matchedOptionValue(PID, 0L);
      if (p <= 0) {
        throw dev.portdoctor.core.PortDoctorException.usage("invalid --pid '" + p + "': expected a process id above 0");
      }
      pid = OptionalLong.of(p);
    }
    if (Options.remote(pr)) {
      return RemoteTasks.list(pr, ctx, ports, Options.protocols(pr), Options.has(pr, Options.ALL), pid);
    }
    List<SocketReport> reports = ctx.doctor().list(ports, Options.protocols(pr), Options.has(pr, Options.ALL), pid);
    if (Options.has(pr, Options.JSON)) {
      Json.write(JsonModel.list(reports), ctx.out());
    } else if (!Options.has(pr, Options.QUIET)) {
      new TextReport(ctx.out(), ctx.style(), ctx.terminal().width()).list(reports);
    }
    return reports.isEmpty() ? ExitCode.NO.code() : ExitCode.OK.code();
  }
}
