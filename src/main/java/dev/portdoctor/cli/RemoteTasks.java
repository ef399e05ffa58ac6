package dev.portdoctor.cli;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.SocketStats;
import dev.portdoctor.core.StatsReport;
import dev.portdoctor.core.Verdict;
import dev.portdoctor.core.WhoResult;
import dev.portdoctor.os.remote.ReadRequest;
import dev.portdoctor.os.remote.RemotePlatform;
import dev.portdoctor.os.remote.RemoteSnapshot;
import dev.portdoctor.render.JsonModel;
import dev.portdoctor.render.StatsOutput;
import dev.portdoctor.render.TextReport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import picocli.CommandLine.ParseResult;

/**
 * {@code who}, {@code list}, {@code check} and {@code stats} with {@code --on}: one remote read per host,
 * then the same use case, verdicts and rendering as on this machine, on the host's {@link RemotePlatform}.
 */
final class RemoteTasks {
  private RemoteTasks() {}

  static int who(ParseResult pr, Context ctx, PortSet ports, Set<Protocol> protocols, boolean all) {
    if (Options.has(pr, "--all-netns")) {
      throw PortDoctorException.usage("--all-netns does not work with --on (it reads this machine's namespaces)");
    }
    ReadRequest req = new ReadRequest(protocols, ports, !all, Optional.empty());
    return RemoteRun.run("who", pr, ctx, (host, reader, c) -> {
      RemoteSnapshot s = reader.read(host, req, null);
      List<WhoResult> results = new ArrayList<>();
      for (WhoResult w : new PortDoctor(RemotePlatform.of(s)).who(ports, protocols, all)) {
        results.add(new WhoResult(w.port(), w.sockets(), w.verdict(), w.cause(), w.remedy().map(m -> onHost(m, host))));
      }
      boolean allHeld = results.stream().allMatch(r -> !r.sockets().isEmpty());
      return RemoteRun.answer(host, allHeld ? ExitCode.OK.code() : ExitCode.NO.code(), s.os(), s.source(),
          JsonModel.who(results), out -> new TextReport(out, c.style(), RemoteRun.width(c)).who(results,
              Options.protocolLabel(protocols)), notes(s));
    });
  }

  static int list(ParseResult pr, Context ctx, PortSet ports, Set<Protocol> protocols, boolean all, OptionalLong pid) {
    ReadRequest req = new ReadRequest(protocols, ports, !all, Optional.empty());
    return RemoteRun.run("list", pr, ctx, (host, reader, c) -> {
      RemoteSnapshot s = reader.read(host, req, null);
      List<SocketReport> reports = new PortDoctor(RemotePlatform.of(s)).list(ports, protocols, all, pid);
      return RemoteRun.answer(host, reports.isEmpty() ? ExitCode.NO.code() : ExitCode.OK.code(), s.os(), s.source(),
          JsonModel.list(reports), out -> new TextReport(out, c.style(), RemoteRun.width(c)).list(reports), notes(s));
    });
  }

  static int stats(ParseResult pr, Context ctx, StatsReport.Thresholds t) {
    ReadRequest req = new ReadRequest(EnumSet.allOf(Protocol.class), PortSet.all(), false, Optional.empty());
    return RemoteRun.run("stats", pr, ctx, (host, reader, c) -> {
      RemoteSnapshot s = reader.read(host, req, null);
      StatsReport r = new SocketStats(RemotePlatform.of(s)).compute(t);
      return RemoteRun.answer(host, r.findings().isEmpty() ? ExitCode.OK.code() : ExitCode.NO.code(), s.os(), s.source(),
          StatsOutput.json(r), out -> StatsOutput.text(out, c.style(), r), notes(s));
    });
  }

  /**
   * The trial binds run on the host: with python3 (or PowerShell) as a server binds, and then the verdict
   * is the local one; with bash only, a connection to the loopback addresses tells whether something
   * listens; with neither, the socket table alone answers, and the answer says so.
   */
  static int check(ParseResult pr, Context ctx, PortSet ports, Protocol protocol, List<String> hostAddresses,
      boolean strict) {
    ReadRequest req = new ReadRequest(EnumSet.of(protocol), ports, false,
        Optional.of(new ReadRequest.Probe(protocol, hostAddresses)));
    return RemoteRun.run("check", pr, ctx, (host, reader, c) -> {
      RemoteSnapshot s = reader.read(host, req, null);
      Platform platform = RemotePlatform.of(s);
      PortDoctor doctor = new PortDoctor(platform);
      String method = s.probeMethod().orElse("none");
      List<CheckResult> results;
      if (method.equals("python3") || method.equals("powershell")) {
        List<String> addresses = hostAddresses.isEmpty() ? doctor.defaultAddresses() : hostAddresses;
        results = doctor.check(ports, new PortDoctor.CheckOptions(protocol, addresses, strict));
      } else {
        results = withoutBind(doctor, s, ports, protocol, method);
      }
      boolean allFree = results.stream().allMatch(r -> r.verdict() == Verdict.FREE);
      List<CheckResult> here = new ArrayList<>();
      for (CheckResult r : results) {
        here.add(new CheckResult(r.port(), r.protocol(), r.verdict(), r.cause(), onHost(r.reason(), host),
            r.remedy().map(m -> onHost(m, host)), r.probes(), r.sockets(), r.timeWait(), r.strictTimeWait(), r.warnings()));
      }
      results = here;
      Map<String, Object> extra = notes(s);
      extra.put("probe", method.equals("python3") || method.equals("powershell") ? "trial-bind (" + method + ")"
          : method.equals("bash") ? "connect (bash /dev/tcp)" : "table-only");
      List<CheckResult> shown = results;
      return RemoteRun.answer(host, allFree ? ExitCode.OK.code() : ExitCode.NO.code(), s.os(), s.source(),
          JsonModel.check(shown), out -> new TextReport(out, c.style(), RemoteRun.width(c)).check(shown), extra);
    });
  }

  /**
   * A host without python3: the socket table, and where bash is there a connection to 127.0.0.1 and ::1
   * (accepted: something listens; refused: nothing listens there, which does not prove a bind would work).
   */
  static List<CheckResult> withoutBind(PortDoctor doctor, RemoteSnapshot s, PortSet ports, Protocol protocol,
      String method) {
    List<WhoResult> who = doctor.who(ports, EnumSet.of(protocol), true);
    Map<Integer, List<String>> accepted = new LinkedHashMap<>();
    Map<Integer, List<String>> refused = new LinkedHashMap<>();
    for (String line : s.probeLines()) {
      String[] f = line.strip().split(" ");
      if (f.length == 3 && f[0].chars().allMatch(Character::isDigit) && f[0].length() <= 5 && !f[0].isEmpty()) {
        int port = Integer.parseInt(f[0]);
        (f[2].equals("open") ? accepted : refused).computeIfAbsent(port, k -> new ArrayList<>()).add(f[1]);
      }
    }
    String how = method.equals("bash")
        ? "no trial bind was possible on this host (no python3): this answer comes from a connection to the loopback"
            + " addresses (bash /dev/tcp) and the socket table"
        : "no trial bind was possible on this host (neither python3 nor bash): this answer comes from the socket table"
            + " alone";
    List<CheckResult> out = new ArrayList<>();
    for (WhoResult w : who) {
      int port = w.port();
      List<SocketReport> listeners = w.sockets().stream().filter(r -> r.socket().state().isListening()).toList();
      List<String> open = accepted.getOrDefault(port, List.of());
      List<ProbeResult> probes = new ArrayList<>();
      for (String a : open) {
        probes.add(new ProbeResult(protocol, a, port, false, BindOutcome.IN_USE, Optional.of("a connection was accepted")));
      }
      if (!listeners.isEmpty() || !open.isEmpty()) {
        String reason = (listeners.isEmpty() ? "something accepts connections on " + String.join(" and ", open)
            : w.verdict()) + "; " + how;
        out.add(new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("listener"), reason,
            Optional.of("stop that process (portdoctor kill " + port + "), or choose another port"),
            probes, listeners.isEmpty() ? w.sockets() : listeners, 0, false));
      } else {
        int tw = (int) w.sockets().stream().filter(r -> r.socket().state() == dev.portdoctor.core.SocketState.TIME_WAIT).count();
        out.add(new CheckResult(port, protocol, Verdict.FREE, Optional.of("table-only"),
            "no listener on the port in the host's socket table" + (refused.containsKey(port)
                ? ", and connections to " + String.join(" and ", refused.get(port)) + " were refused" : "")
                + "; " + how + ", which cannot see a privileged port, an address the host lacks or a bind policy",
            Optional.of("install python3 on the host for a real trial bind"), probes, w.sockets(), tw, false));
      }
    }
    return out;
  }

  /**
   * A remedy for this machine made one for the host: {@code portdoctor kill 8080} becomes
   * {@code portdoctor kill 8080 --on web-3}; {@code free} looks for ports here, so it is left out.
   */
  static String onHost(String text, dev.portdoctor.os.remote.HostSpec host) {
    return text.replace(", or choose another port (portdoctor free)", ", or choose another port")
        .replaceAll("portdoctor (kill|who) (\\d+)", "portdoctor $1 $2 --on " + java.util.regex.Matcher.quoteReplacement(host.name()));
  }

  /** What was read with a fallback, or could not be read: shown in the JSON beside the result. */
  static Map<String, Object> notes(RemoteSnapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("notes", s.tried());
    return m;
  }
}
