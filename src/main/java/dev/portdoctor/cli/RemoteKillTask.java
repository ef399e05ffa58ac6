package dev.portdoctor.cli;

import dev.portdoctor.core.Holder;
import dev.portdoctor.core.KillOptions;
import dev.portdoctor.core.KillOutcome;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.KillReport.Status;
import dev.portdoctor.core.Killer;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.os.remote.HostSpec;
import dev.portdoctor.os.remote.PosixScripts;
import dev.portdoctor.os.remote.ReadRequest;
import dev.portdoctor.os.remote.RemoteException;
import dev.portdoctor.os.remote.RemoteKill;
import dev.portdoctor.os.remote.RemotePlatform;
import dev.portdoctor.os.remote.RemoteReader;
import dev.portdoctor.os.remote.RemoteSnapshot;
import dev.portdoctor.os.remote.Transport;
import dev.portdoctor.os.remote.WindowsScripts;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.TextReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.ParseResult;

/**
 * {@code kill --on}: per host, one read and the plan of {@link Killer#plan} on the host's
 * {@link RemotePlatform} (the same refusals: never PID 0 or 1, never the remote shell that runs the
 * script or its ancestors, the sshd session; critical processes only with --force); then, once
 * confirmed, the plan carried out by one script per port ({@link RemoteKill}), and a second read that
 * verifies: a trial bind where python3 is there, else the socket table. {@code --dry-run} shows the plan
 * and the exact remote command that would carry it out.
 */
final class RemoteKillTask {
  private RemoteKillTask() {}

  /** What the first phase found on a host. */
  private record Planned(RemoteSnapshot snapshot, List<KillReport> plans) {}

  static int run(ParseResult pr, Context ctx, PortSet ports, Protocol protocol, KillOptions options, boolean dryRun) {
    List<HostSpec> hosts = RemoteRun.hosts(pr);
    Duration timeout = RemoteRun.timeout(pr);
    Transport transport = RemoteRun.transport(pr, ctx, timeout);
    RemoteReader reader = new RemoteReader(transport, timeout);
    boolean json = Options.has(pr, Options.JSON);
    boolean quiet = Options.has(pr, Options.QUIET);
    ReadRequest read = new ReadRequest(EnumSet.of(protocol), ports, true, Optional.empty());
    Map<String, Planned> state = new ConcurrentHashMap<>();
    List<RemoteRun.HostAnswer> plansAnswers = RemoteRun.askAll(hosts, reader, ctx, (host, r, c) -> {
      RemoteSnapshot s = r.read(host, read, null);
      Platform platform = RemotePlatform.of(s);
      Killer killer = new Killer(new PortDoctor(platform), o -> { });
      List<KillReport> plans = new ArrayList<>();
      for (int port : ports.toList()) {
        plans.add(killer.plan(port, protocol, options));
      }
      state.put(host.name(), new Planned(s, plans));
      Map<String, Object> extra = RemoteTasks.notes(s);
      if (dryRun) {
        List<Object> cmds = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (KillReport p : plans) {
          if (p.status() == Status.PLANNED) {
            boolean windows = s.os().equals("Windows");
            String script = windows ? RemoteKill.windowsScript("NONCE", p, options) : RemoteKill.script("NONCE", p, options);
            List<String> argv = windows ? transport.argv(host, List.of("powershell", "-NoProfile", "-NonInteractive",
                "-EncodedCommand", "<the script below, UTF-16LE, base64>")) : transport.argv(host, PosixScripts.COMMAND);
            Map<String, Object> cmd = new LinkedHashMap<>();
            cmd.put("port", p.port());
            cmd.put("argv", argv);
            cmd.put("stdin", script);
            cmds.add(cmd);
            shown.add(shellLine(argv) + " <<'EOF'\n" + script + "EOF");
          }
        }
        extra.put("remoteCommands", cmds);
        return RemoteRun.answer(host, KillCommand.exitCode(plans), s.os(), s.source(), JsonModel.kill(plans, true), out -> {
          new TextReport(out, c.style(), RemoteRun.width(c)).killPlans(plans, true);
          if (!shown.isEmpty()) {
            out.println("would run on " + host + " (NONCE is a random marker, new for each call):");
            for (String sh : shown) {
              for (String line : sh.split("\n", -1)) {
                out.println("  " + line);
              }
            }
          }
        }, extra);
      }
      // a plan to confirm is shown as one; a host where nothing is to be done gets its answer as it is
      boolean toDo = plans.stream().anyMatch(k -> k.status() == Status.PLANNED);
      return RemoteRun.answer(host, KillCommand.exitCode(plans), s.os(), s.source(), JsonModel.kill(plans, toDo),
          out -> new TextReport(out, c.style(), RemoteRun.width(c)).killPlans(plans, toDo), extra);
    });
    boolean anyPlanned = state.values().stream().anyMatch(p -> p.plans().stream().anyMatch(k -> k.status() == Status.PLANNED));
    if (dryRun || !anyPlanned) {
      return finish(plansAnswers, ctx, json, quiet);
    }
    if (!Options.has(pr, "--yes")) {
      if (!ctx.terminal().interactive()) {
        RemoteRun.print("kill", plansAnswers, ctx, json, quiet);
        throw PortDoctorException.usage("refusing to end processes without a terminal to confirm on;"
            + " add --yes to go ahead (or --dry-run to only see the plan)");
      }
      RemoteRun.print("kill", plansAnswers, ctx, false, false);
      ctx.err().print("End these processes on " + state.size() + " host(s)? [y/N] ");
      ctx.err().flush();
      String answer = ctx.readLine();
      if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
        ctx.err().println("portdoctor: nothing was ended");
        return ExitCode.NO.code();
      }
    }
    List<HostSpec> planned = new ArrayList<>();
    Map<String, RemoteRun.HostAnswer> failedFirst = new LinkedHashMap<>();
    for (RemoteRun.HostAnswer a : plansAnswers) {
      if (a.error().isPresent()) {
        failedFirst.put(a.host().name(), a);
      } else {
        planned.add(a.host());
      }
    }
    Duration killDeadline = timeout.plus(options.timeout()).plus(options.grace()).plusSeconds(5);
    RemoteReader killReader = new RemoteReader(transport, killDeadline);
    List<RemoteRun.HostAnswer> done = RemoteRun.askAll(planned, reader, ctx, (host, r, c) -> {
      Planned p = state.get(host.name());
      List<KillReport> reports = new ArrayList<>();
      for (KillReport plan : p.plans()) {
        reports.add(plan.status() == Status.PLANNED ? execute(host, killReader, r, p.snapshot(), plan, options, protocol)
            : plan);
      }
      return RemoteRun.answer(host, KillCommand.exitCode(reports), p.snapshot().os(), p.snapshot().source(),
          JsonModel.kill(reports, false), out -> new TextReport(out, c.style(), RemoteRun.width(c)).killPlans(reports, false),
          RemoteTasks.notes(p.snapshot()));
    });
    List<RemoteRun.HostAnswer> all = new ArrayList<>();
    int i = 0;
    for (RemoteRun.HostAnswer a : plansAnswers) {
      all.add(a.error().isPresent() ? a : done.get(i++));
    }
    return finish(all, ctx, json, quiet);
  }

  private static int finish(List<RemoteRun.HostAnswer> answers, Context ctx, boolean json, boolean quiet) {
    RemoteRun.print("kill", answers, ctx, json, quiet);
    int worst = 0;
    for (RemoteRun.HostAnswer a : answers) {
      worst = Math.max(worst, a.exitCode());
    }
    return worst;
  }

  /** The plan's script, then the verifying read: a trial bind (python3) or the socket table. */
  private static KillReport execute(HostSpec host, RemoteReader killReader, RemoteReader reader, RemoteSnapshot first,
      KillReport plan, KillOptions options, Protocol protocol) {
    String nonce = RemoteReader.nonce();
    boolean windows = first.os().equals("Windows");
    Transport.Reply r = windows
        ? killReader.transport().run(host, WindowsScripts.command(RemoteKill.windowsScript(nonce, plan, options)), "",
            killReader.deadline())
        : killReader.transport().run(host, PosixScripts.COMMAND, RemoteKill.script(nonce, plan, options),
            killReader.deadline());
    if (r.timedOut() || r.exitCode() == 255 || !r.stdout().contains("@@pd-" + nonce + " end")) {
      RemoteException e = r.timedOut() || r.exitCode() == 255
          ? RemoteException.fromReply(host, r, killReader.deadline())
          : new RemoteException("remote", host + ": the kill script did not finish (exit code " + r.exitCode() + ")");
      throw new RemoteException(e.kind(), e.getMessage() + "; what was done is unknown: see 'portdoctor who "
          + plan.port() + " --on " + host + "'");
    }
    List<KillOutcome> outcomes = RemoteKill.outcomes(nonce, r.stdout(), plan, options);
    int port = plan.port();
    ReadRequest verify = new ReadRequest(EnumSet.of(protocol), PortSet.of(port), true,
        Optional.of(new ReadRequest.Probe(protocol, List.of())));
    RemoteSnapshot after = reader.read(host, verify, first.os());
    Platform platform = RemotePlatform.of(after);
    PortDoctor doctor = new PortDoctor(platform);
    List<SocketReport> now = doctor.who(PortSet.of(port), EnumSet.of(protocol), false).get(0).sockets();
    Optional<ProbeResult> blocked = Optional.empty();
    boolean bind = after.probeMethod().map(m -> m.equals("python3") || m.equals("powershell")).orElse(false);
    if (bind) {
      for (String a : doctor.defaultAddresses()) {
        ProbeResult pr = platform.probe().probe(protocol, a, port, platform.facts().serversReuseAddress());
        if (pr.outcome() != dev.portdoctor.core.BindOutcome.FREE) {
          blocked = Optional.of(pr);
          break;
        }
      }
    }
    boolean free = now.isEmpty() && blocked.isEmpty();
    Set<Long> ended = new HashSet<>();
    for (KillOutcome o : outcomes) {
      ended.add(o.pid());
    }
    Optional<KillReport.Respawn> respawn = Optional.empty();
    for (SocketReport s : now) {
      for (Holder h : s.holders()) {
        if (h.depth() == 0 && !ended.contains(h.process().pid()) && respawn.isEmpty()) {
          String remedy = !h.ancestors().isEmpty() && h.ancestors().get(0).pid() > 1
              ? "its parent restarts it; stop the parent too: portdoctor kill " + port + " --parent --on " + host
              : "something restarts it; find what started it: portdoctor who " + port + " --on " + host;
          respawn = Optional.of(new KillReport.Respawn(h, Optional.empty(), remedy));
        }
      }
    }
    boolean denied = outcomes.stream().anyMatch(o -> o.result() == KillOutcome.Result.DENIED);
    Status status = free ? Status.FREED : denied ? Status.DENIED : Status.STILL_BUSY;
    String how = bind ? "a trial bind on the host succeeded" : "the host's socket table shows no listener; no python3"
        + " there for a trial bind";
    String message;
    if (free) {
      message = "port " + port + "/" + protocol.label() + " is free now on " + host + " (" + how + ")";
    } else if (respawn.isPresent()) {
      Holder h = respawn.get().holder();
      message = "port " + port + " was taken again by pid " + h.process().pid() + " (" + h.process().name() + ") on "
          + host + ": " + respawn.get().remedy();
    } else if (denied) {
      message = "port " + port + " is still held on " + host + ": permission denied for "
          + String.join(", ", outcomes.stream().filter(o -> o.result() == KillOutcome.Result.DENIED)
              .map(o -> "pid " + o.pid()).toList()) + "; retry as that user (ssh user@host) or as root";
    } else {
      message = "port " + port + " is still held on " + host + " after the kill"
          + blocked.map(b -> ": a trial bind on " + b.address() + " gives " + b.outcome().label()).orElse("")
          + "; see: portdoctor who " + port + " --on " + host;
    }
    return new KillReport(port, protocol, status, plan.holders(), plan.plan(), outcomes, Optional.of(free), respawn, message);
  }

  /** The argument list as a shell line: each argument in single quotes when it needs them. */
  static String shellLine(List<String> argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (b.length() > 0) {
        b.append(' ');
      }
      boolean plain = !a.isEmpty() && a.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:@,+%".indexOf(c) >= 0);
      b.append(plain ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return b.toString();
  }
}
