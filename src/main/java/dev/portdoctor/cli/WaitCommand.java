package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.WaitResult;
import dev.portdoctor.core.Waiter;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.Text;
import dev.portdoctor.render.TextReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor wait PORT... --listening|--free}: block until the ports are up (or free), for CI. */
final class WaitCommand implements Command {
  private static final String LISTENING = "--listening";
  private static final String FREE = "--free";
  private static final String HOST = "--host";
  private static final String TIMEOUT = "--timeout";
  private static final String INTERVAL = "--interval";
  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("wait",
        "Wait until every port is listened on (--listening) or free (--free), or a deadline passes.",
        "",
        "--listening: a LISTEN socket on the port appears in the socket table (any address, any",
        "user). With --host it connects to HOST:PORT instead, as a client would (like wait-for-it), and",
        "tries every address of the name: localhost is both 127.0.0.1 and ::1, and it says which one",
        "answered. --free: a trial bind succeeds, as 'check' makes it (0.0.0.0 and ::, or --host).",
        "On a timeout it exits 5 and says what is still missing, or who still holds the port.",
        "On a terminal a live line on stderr shows the time spent; piped, only the result is printed.");
    Options.ports(spec, "Ports: 5432, lists 80,443 and ranges 8000-8010; all of them must be ready.");
    Options.flag(spec, "Wait until something listens on each port.", LISTENING);
    Options.flag(spec, "Wait until each port is free (a trial bind succeeds).", FREE);
    Options.value(spec, "HOST", String[].class,
        "--listening: connect to this host (repeatable; every address of a name is tried);"
            + " --free: trial-bind this address.", HOST);
    Options.flag(spec, "UDP: wait for an unconnected UDP socket in the table, or for a free UDP port.", Options.UDP);
    Options.value(spec, "DURATION", String.class, "Give up after this long: 500ms, 30s, 2m (default 30s).", TIMEOUT);
    Options.value(spec, "DURATION", String.class, "Look again after this long (default 200ms).", INTERVAL);
    Options.source(spec);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor wait 5432 --listening --timeout 60s && ./run-tests",
        "  portdoctor wait 8080 --listening --host localhost",
        "  portdoctor wait 8080 --free --timeout 10s --json");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    PortSet ports = Options.ports(pr);
    boolean listening = Options.has(pr, LISTENING);
    boolean free = Options.has(pr, FREE);
    if (listening == free) {
      throw PortDoctorException.usage("wait needs exactly one of --listening or --free");
    }
    Protocol protocol = Options.has(pr, Options.UDP) ? Protocol.UDP : Protocol.TCP;
    Duration timeout = Durations.parse(TIMEOUT, pr.matchedOptionValue(TIMEOUT, "30s"));
    Duration interval = Durations.parse(INTERVAL, pr.matchedOptionValue(INTERVAL, "200ms"));
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw PortDoctorException.usage("invalid " + INTERVAL + " '" + pr.matchedOptionValue(INTERVAL, "")
          + "': expected 10ms or more");
    }
    String[] hosts = pr.matchedOptionValue(HOST, new String[0]);
    List<String> addresses = hosts.length > 0 ? addresses(List.of(hosts)) : List.of();
    boolean json = Options.has(pr, Options.JSON);
    boolean quiet = Options.has(pr, Options.QUIET);

    PortDoctor doctor = ctx.doctor();
    Waiter.Condition condition = listening ? Waiter.Condition.LISTENING : Waiter.Condition.FREE;
    Waiter.Options options = new Waiter.Options(condition, protocol, addresses, timeout, interval);
    Environment env = ctx.environment();
    Waiter waiter = new Waiter(doctor, env.connector(), env.sleeper());

    LiveLine live = new LiveLine(ctx.err(), ctx.terminal().stdoutIsTerminal() && !quiet, what(condition, hosts),
        ports.toList());
    Thread hook = new Thread(live::interrupted, "wait-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    WaitResult result;
    try {
      result = waiter.await(ports, options, live::show);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down (Ctrl-C): the hook runs
      }
      live.clear();
    }
    if (json) {
      Json.write(JsonModel.waitFor(result), ctx.out());
    } else if (!quiet) {
      new TextReport(ctx.out(), ctx.style(), ctx.terminal().width()).waitFor(result);
    }
    return switch (result.outcome()) {
      case MET -> ExitCode.OK.code();
      case TIMEOUT -> ExitCode.TIMEOUT.code();
      case INTERRUPTED -> {
        ctx.err().println("portdoctor: interrupted after " + TextReport.duration(result.elapsed())
            + "; still waiting for port(s) " + pending(result) + " to be " + condition.label());
        yield ExitCode.INTERRUPTED.code();
      }
    };
  }

  private static String pending(WaitResult r) {
    List<String> p = new ArrayList<>();
    for (WaitResult.PortStatus s : r.ports()) {
      if (!s.met()) {
        p.add(Integer.toString(s.port()));
      }
    }
    return String.join(", ", p);
  }

  private static String what(Waiter.Condition condition, String[] hosts) {
    String on = hosts.length == 0 ? "" : " on " + Text.escape(String.join(", ", hosts));
    return condition == Waiter.Condition.LISTENING ? "to be listened on" + on : "to be free" + on;
  }

  /**
   * The addresses to try: every address of each name, and for {@code localhost} both loopbacks even when
   * the hosts file names only one (RFC 6761: localhost is the loopback), IPv6 first as most resolvers
   * order it.
   */
  static List<String> addresses(List<String> hosts) {
    Set<String> out = new LinkedHashSet<>();
    for (String h : hosts) {
      String name = h.strip().toLowerCase(Locale.ROOT);
      if (name.equals("localhost") || name.endsWith(".localhost")) {
        out.add("::1");
        out.add("127.0.0.1");
      }
      out.addAll(Hosts.resolve(List.of(h)));
    }
    return new ArrayList<>(out);
  }

  /** The {@code \r}-updated line on stderr while waiting, for a person at a terminal. */
  private static final class LiveLine {
    private final PrintWriter err;
    private final boolean enabled;
    private final String what;
    private final List<Integer> ports;
    private final AtomicReference<Waiter.Progress> last = new AtomicReference<>();
    private int shown;

    LiveLine(PrintWriter err, boolean enabled, String what, List<Integer> ports) {
      this.err = err;
      this.enabled = enabled;
      this.what = what;
      this.ports = ports;
    }

    synchronized void show(Waiter.Progress p) {
      last.set(p);
      if (!enabled) {
        return;
      }
      String ports = p.pending().size() <= 5 ? p.pending().toString().replaceAll("[\\[\\]]", "")
          : p.pending().size() + " ports";
      String line = "waiting " + TextReport.duration(p.elapsed()) + " of " + TextReport.duration(p.timeout())
          + " for " + ports + " " + what;
      err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
      err.flush();
      shown = line.length();
    }

    synchronized void clear() {
      if (enabled && shown > 0) {
        err.print("\r" + " ".repeat(shown) + "\r");
        err.flush();
        shown = 0;
      }
    }

    /** Ctrl-C: the JVM exits with 130 after this hook; leave a clean line that says where it stopped. */
    void interrupted() {
      clear();
      Waiter.Progress p = last.get();
      String after = p == null ? "" : " after " + TextReport.duration(p.elapsed());
      List<Integer> pending = p == null ? ports : p.pending();
      err.println("portdoctor: interrupted" + after + "; still waiting for port(s) "
          + pending.toString().replaceAll("[\\[\\]]", "") + " " + what);
      err.flush();
    }
  }
}
