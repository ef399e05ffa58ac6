package dev.portdoctor.cli;

import dev.portdoctor.core.KillOptions;
import dev.portdoctor.core.KillOutcome;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.KillReport.Status;
import dev.portdoctor.core.Killer;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.render.Json;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.Text;
import dev.portdoctor.render.TextReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor kill PORT...}: free a port safely. */
final class KillCommand implements Command {
  private static final String TREE = "--tree";
  private static final String PARENT = "--parent";
  private static final String SIGNAL = "--signal";
  private static final String TIMEOUT = "--timeout";
  private static final String GRACE = "--grace";
  private static final String DRY_RUN = "--dry-run";
  private static final String YES = "--yes";
  private static final String FORCE = "--force";

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("kill",
        "Free a port: end the processes that hold it, politely first, then by force; verify with a trial bind.",
        "",
        "It finds the holders as 'who' does and shows the plan. Then it sends the polite stop (SIGTERM, or",
        "--signal; on Windows taskkill without /F) to the master of each tree first (the holder at the top:",
        "nginx, httpd, php-fpm stop their own workers), gives it half of --timeout, then stops whatever",
        "remains of the tree, deepest first; at --timeout it forces the survivors, masters first (SIGKILL;",
        "taskkill /F), and succeeds only if a trial bind on the port then works. It watches the port for",
        "--grace afterwards: a supervisor that restarts the holder is named, with what to stop instead.",
        "",
        "Safety. Never, with any flag: PID 0 or 1, the Windows System process (PID 4: the HTTP driver",
        "behind ports 80/443), portdoctor itself or any of its ancestors (your shell, the CI runner).",
        "Only with --force: critical system processes (sshd, systemd-*, init, launchd, dockerd,",
        "containerd, wininit, csrss, services, lsass, svchost...) and a container's port forwarder.",
        "Another user's process is not refused: as root it is ended like any other (a root master's",
        "workers run as nobody or www-data); as anyone else the OS refuses the signal (exit 3), and the",
        "rest of a tree whose master was refused is left alone. Right before",
        "each signal the process's start time must match the one recorded when it was found, and a",
        "holder must still hold the socket; otherwise it is skipped (its PID was reused).",
        "On a terminal it asks before it ends anything; without one (CI) it refuses unless --yes.");
    Options.ports(spec, "Ports to free: 8080, lists 80,443 and ranges 8000-8010.");
    Options.flag(spec, "Free a UDP port instead of a TCP one.", Options.UDP);
    Options.flag(spec, "Also end every descendant of each holder (after the holder itself, deepest first).", TREE);
    Options.flag(spec, "Also end each holder's parent (a supervisor that would restart it), first.", PARENT);
    Options.value(spec, "SIG", String.class, "The polite signal on Unix: TERM (default), INT, HUP, QUIT, USR1, USR2, KILL.", SIGNAL);
    Options.value(spec, "DURATION", String.class, "How long to wait for the polite stop before forcing (default 5s).", TIMEOUT);
    Options.value(spec, "DURATION", String.class, "How long to watch the port for a restarted holder (default 1s; 0 to skip).", GRACE);
    Options.flag(spec, "Show the plan; end nothing.", DRY_RUN);
    Options.flag(spec, "Do not ask for confirmation (needed without a terminal).", "-y", YES);
    Options.flag(spec, "Also end critical system processes and container port forwarders.", FORCE);
    Options.source(spec);
    Options.remote(spec);
    Options.common(spec);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  portdoctor kill 8080 --dry-run",
        "  portdoctor kill 8080 --tree --yes",
        "  portdoctor kill 3000 --signal INT --timeout 10s --yes --json");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    PortSet ports = Options.ports(pr);
    Protocol protocol = Options.has(pr, Options.UDP) ? Protocol.UDP : Protocol.TCP;
    Duration timeout = Durations.parse(TIMEOUT, pr.matchedOptionValue(TIMEOUT, "5s"));
    Duration grace = Durations.parse(GRACE, pr.matchedOptionValue(GRACE, "1s"));
    boolean json = Options.has(pr, Options.JSON);
    boolean quiet = Options.has(pr, Options.QUIET);
    boolean dryRun = Options.has(pr, DRY_RUN);
    String signal = signal(pr.matchedOptionValue(SIGNAL, "TERM"));
    KillOptions options = new KillOptions(java.util.Set.of(protocol), Options.has(pr, TREE), Options.has(pr, PARENT),
        signal, timeout, grace, Options.has(pr, FORCE));

    if (Options.remote(pr)) {
      return RemoteKillTask.run(pr, ctx, ports, protocol, options, dryRun);
    }
    List<KillOutcome> progress = new CopyOnWriteArrayList<>();
    Killer killer = new Killer(ctx.doctor(), progress::add);
    List<KillReport> plans = new ArrayList<>();
    for (int port : ports.toList()) {
      plans.add(killer.plan(port, protocol, options));
    }
    TextReport text = new TextReport(ctx.out(), ctx.style(), ctx.terminal().width());
    boolean anyPlanned = plans.stream().anyMatch(p -> p.status() == Status.PLANNED);
    if (dryRun || !anyPlanned) {
      print(plans, dryRun, json, quiet, text, ctx);
      return exitCode(plans);
    }
    if (!Options.has(pr, YES)) {
      if (!ctx.terminal().interactive()) {
        print(plans, true, json, quiet, text, ctx);
        throw PortDoctorException.usage("refusing to end processes without a terminal to confirm on;"
            + " add --yes to go ahead (or --dry-run to only see the plan)");
      }
      text.killPlans(plans, true);
      ctx.err().print("End these processes? [y/N] ");
      ctx.err().flush();
      String answer = ctx.readLine();
      if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
        ctx.err().println("portdoctor: nothing was ended");
        return ExitCode.NO.code();
      }
    }
    // Ctrl-C in the middle: say what was done so far (the JVM then exits with 130)
    Thread hook = new Thread(() -> {
      ctx.err().println();
      ctx.err().println("portdoctor: interrupted; done so far:");
      if (progress.isEmpty()) {
        ctx.err().println("  nothing (no process was signalled)");
      }
      for (KillOutcome o : progress) {
        String now = "";
        if (o.result() == KillOutcome.Result.SIGNALLED) {
          now = ctx.doctor().platform().control().isAlive(o.pid()) ? " (still running)" : " (it has exited since)";
        }
        ctx.err().println("  pid " + o.pid() + " (" + Text.escape(o.name()) + "): " + o.result().label() + ", "
            + o.detail() + now);
      }
      ctx.err().flush();
    }, "kill-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    List<KillReport> done = new ArrayList<>();
    try {
      for (KillReport plan : plans) {
        done.add(killer.execute(plan, options));
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs
      }
    }
    print(done, false, json, quiet, text, ctx);
    return exitCode(done);
  }

  private static void print(List<KillReport> reports, boolean dryRun, boolean json, boolean quiet, TextReport text,
      Context ctx) {
    if (json) {
      Json.write(JsonModel.kill(reports, dryRun), ctx.out());
    } else if (!quiet) {
      text.killPlans(reports, dryRun);
    }
  }

  static int exitCode(List<KillReport> reports) {
    int worst = 0;
    Status worstStatus = Status.FREED;
    for (KillReport r : reports) {
      if (Killer.severity(r.status()) > worst) {
        worst = Killer.severity(r.status());
        worstStatus = r.status();
      }
    }
    return switch (worstStatus) {
      case FREED, PLANNED -> ExitCode.OK.code();
      case NOTHING_HELD -> ExitCode.NO.code();
      case DENIED -> ExitCode.DENIED.code();
      case STILL_BUSY -> ExitCode.STILL_BUSY.code();
    };
  }

  private static final java.util.Map<String, String> SIGNAL_NUMBERS = java.util.Map.of(
      "1", "HUP", "2", "INT", "3", "QUIT", "9", "KILL", "10", "USR1", "12", "USR2", "15", "TERM");

  private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "KILL");

  private static String signal(String raw) {
    String s = raw.strip().toUpperCase(Locale.ROOT);
    if (s.startsWith("SIG")) {
      s = s.substring(3);
    }
    s = SIGNAL_NUMBERS.getOrDefault(s, s);
    if (!SIGNALS.contains(s)) {
      throw PortDoctorException.usage("invalid --signal '" + raw + "': expected one of " + String.join(", ", SIGNALS));
    }
    return s;
  }
}
