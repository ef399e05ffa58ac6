package dev.portdoctor.cli;

import dev.portdoctor.core.FreeFinder;
import dev.portdoctor.core.FreeResult;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor free}: ports a server can bind now, each confirmed by a trial bind. */
final class FreeCommand implements Command {
  private static final String COUNT = "--count";
  private static final String RANGE = "--range";
  private static final String HOST = "--host";
  private static final int MAX_COUNT = 1000;

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("free",
        "Print free ports, one a line: each one confirmed by a real trial bind, not just absent from a table.",
        "",
        "A port counts as free when a bind without SO_REUSEADDR succeeds on every address (0.0.0.0 and ::",
        "by default, or --host), so it also works for a server that does not set SO_REUSEADDR.",
        "By default it avoids the well-known ports (below 1024) and the OS's ephemeral range, from which",
        "outgoing connections take their local port (Linux: net.ipv4.ip_local_port_range; macOS:",
        "net.inet.ip.portrange.first/last; Windows: 49152-65535). Candidates are tried in RANDOM order,",
        "so two runs rarely give the same port. A port is free at that instant only: bind it soon.",
        "No free port in the range: an error and exit 1.");
    Options.value(spec, "N", int.class, "How many ports (default 1); all different.", COUNT);
    Options.value(spec, "PORTS", String.class, "Take the ports from here instead: 8000-8999, or lists 8080,9000-9099.",
        RANGE);
    Options.flag(spec, "Free for UDP instead of TCP.", Options.UDP);
    Options.value(spec, "ADDR", String[].class,
        "Trial-bind this address instead (repeatable): an IP address, or a name (all its addresses).", HOST);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  port=$(portdoctor free) && ./server --port \"$port\"",
        "  portdoctor free --count 3 --range 8000-8999",
        "  portdoctor free --udp --host 127.0.0.1 --json");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    int count = pr.hasMatchedOption(COUNT) ? pr.matchedOptionValue(COUNT, 1) : 1;
    if (count < 1 || count > MAX_COUNT) {
      throw PortDoctorException.usage("invalid " + COUNT + " '" + count + "': expected 1 to " + MAX_COUNT);
    }
    Optional<PortSet> range = pr.hasMatchedOption(RANGE)
        ? Optional.of(PortSet.parse(List.of((String) pr.matchedOptionValue(RANGE, "")))) : Optional.empty();
    Protocol protocol = Options.has(pr, Options.UDP) ? Protocol.UDP : Protocol.TCP;
    List<String> addresses = Hosts.addressesOrDefault(pr.matchedOptionValue(HOST, new String[0]), ctx::doctor);
    PortDoctor doctor = ctx.doctor();
    FreeResult result = new FreeFinder(doctor).find(new FreeFinder.Options(protocol, addresses, count, range),
        ctx.environment().random().get());
    boolean json = Options.has(pr, Options.JSON);
    if (json) {
      Json.write(JsonModel.free(result), ctx.out());
    } else if (!Options.has(pr, Options.QUIET) && result.complete()) {
      for (int port : result.ports()) {
        ctx.out().println(port);
      }
    }
    if (!result.complete()) {
      String where = result.searched().isEmpty() ? "the range" : result.searched();
      String msg = result.ports().isEmpty()
          ? "no free " + protocol.label() + " port in " + where + ": a trial bind on "
              + PortDoctor.joinAnd(addresses) + " failed on every one of the " + result.tried() + " tried"
          : "only " + result.ports().size() + " free " + protocol.label() + " port(s) in " + where + ", "
              + count + " asked";
      ctx.err().println("portdoctor: " + msg);
      return ExitCode.NO.code();
    }
    return ExitCode.OK.code();
  }
}
