package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.Sleeper;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.WatchModel;
import dev.portdoctor.render.WatchLines;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code portdoctor watch [PORT...]}: the listeners (or every socket) as they come and go. On a terminal a
 * full-screen view ({@code tui.WatchApp}, the only user of the terminal library, loaded only here); piped,
 * one line per change, or JSON Lines.
 */
final class WatchCommand implements Command {
  private static final String INTERVAL = "--interval";
  private static final String COUNT = "--count";
  private static final String DURATION = "--duration";
  private static final String LINES = "--lines";
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("watch",
        "Watch the listening sockets (or every socket) come and go, refreshed every second.",
        "",
        "On a terminal: a full-screen view of the sockets and their processes, new ones highlighted (+),",
        "closed ones fading out (-), with a count per process. Keys: up/down, PgUp/PgDn select a row;",
        "s sorts by the next key (port, pid, process, state); / filters (words, or port:N pid:N",
        "process:NAME state:S); k ends what holds the selected row's port the way 'portdoctor kill' does",
        "(the same plan and refusals), after asking; q or Ctrl-C quits.",
        "",
        "Piped (or with --lines): one line per change, '+ tcp LISTEN 0.0.0.0:8080 pid 123 python3' for a",
        "socket that appeared and '- ...' for one that closed (the first look prints every socket as",
        "'+'); with --json one JSON object per line (docs/json.md). --count and --duration stop it.");
    spec.addPositional(PositionalParamSpec.builder().paramLabel("PORT").arity("0..*").type(String[].class)
        .description("Only these ports: 8080, lists 80,443 and ranges 8000-8010 (default: every port).").build());
    Options.protocols(spec);
    Options.flag(spec, "Every state (ESTABLISHED, TIME_WAIT...), not only LISTEN / unconnected UDP.", Options.ALL);
    Options.value(spec, "DURATION", String.class, "Look again after this long (default 1s; at least 100ms).", INTERVAL);
    Options.value(spec, "N", long.class, "Stop after N looks at the socket table (the first included).", COUNT);
    Options.value(spec, "DURATION", String.class, "Stop after this long: 30s, 5m.", DURATION);
    Options.flag(spec, "One line per change even on a terminal (no full-screen view).", LINES);
    Options.flag(spec, "Print JSON Lines: one object per change (documented in docs/json.md).", Options.JSON);
    Options.source(spec);
    Options.flag(spec, "Debug logging on stderr, and stack traces for errors.", "-v", Options.VERBOSE);
    Options.flag(spec, "Print a stack trace for errors.", Options.STACKTRACE);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor watch",
        "  portdoctor watch 8080 3000 --all",
        "  portdoctor watch 5432 --json --duration 10m >> port-5432.jsonl",
        "  portdoctor watch --count 1 | grep ':8080 '");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    String[] raw = pr.matchedPositionalValue(0, new String[0]);
    PortSet ports = raw.length == 0 ? PortSet.all() : PortSet.parse(List.of(raw));
    Set<Protocol> protocols = Options.protocols(pr);
    boolean all = Options.has(pr, Options.ALL);
    Duration interval = Durations.parse(INTERVAL, pr.matchedOptionValue(INTERVAL, "1s"));
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw PortDoctorException.usage("invalid --interval '" + pr.matchedOptionValue(INTERVAL, "")
          + "': at least 100ms");
    }
    long count = pr.matchedOptionValue(COUNT, 0L);
    if (pr.hasMatchedOption(COUNT) && count <= 0) {
      throw PortDoctorException.usage("invalid --count '" + count + "': expected a number of looks above 0");
    }
    Duration duration = pr.hasMatchedOption(DURATION) ? Durations.parse(DURATION, pr.matchedOptionValue(DURATION, ""))
        : null;
    boolean json = Options.has(pr, Options.JSON);
    PortDoctor doctor = ctx.doctor();
    Supplier<List<SocketReport>> snapshots = () -> doctor.list(ports, protocols, all, OptionalLong.empty());
    if (ctx.terminal().interactive() && !json && !Options.has(pr, LINES)) {
      // the terminal library is loaded from here on, and by no other command
      return dev.portdoctor.tui.WatchApp.run(doctor, snapshots, new dev.portdoctor.tui.WatchApp.Options(
          title(ports, protocols, all), interval, all, ctx.terminal().color(), count, duration));
    }
    return lines(snapshots, ctx, interval, count, duration, json);
  }

  /** {@code tcp listeners, all ports}, {@code tcp, udp: every state, ports 8080,8081}. */
  static String title(PortSet ports, Set<Protocol> protocols, boolean all) {
    String what = Options.protocolLabel(protocols) + (all ? ": every state" : " listeners");
    return what + ", " + (ports.size() >= PortSet.MAX_PORT ? "all ports" : "ports " + ports);
  }

  private static int lines(Supplier<List<SocketReport>> snapshots, Context ctx, Duration interval, long count,
      Duration duration, boolean json) {
    Sleeper clock = ctx.environment().sleeper();
    PrintWriter out = ctx.out();
    WatchModel model = new WatchModel(Duration.ZERO, Duration.ZERO);
    long start = clock.nanoTime();
    long looks = 0;
    while (true) {
      long lookAt = clock.nanoTime();
      List<WatchModel.Change> changes = model.update(snapshots.get(), Instant.now());
      looks++;
      for (WatchModel.Change c : changes) {
        out.println(json ? WatchLines.json(c) : WatchLines.text(c));
      }
      out.flush();
      if (out.checkError()) {
        return ExitCode.OK.code(); // the reader is gone (| head): nothing more to say
      }
      if (count > 0 && looks >= count) {
        return ExitCode.OK.code();
      }
      long next = lookAt + interval.toNanos();
      if (duration != null && next - start > duration.toNanos()) {
        return ExitCode.OK.code();
      }
      try {
        long wait = next - clock.nanoTime();
        if (wait > 0) {
          clock.sleep(Duration.ofNanos(wait));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.INTERRUPTED.code();
      }
    }
  }
}
