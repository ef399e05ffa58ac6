package dev.portdoctor.core;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** The use cases: check, who, list. They return results; they never print. */
public final class PortDoctor {
  private final Platform platform;

  public PortDoctor(Platform platform) {
    this.platform = platform;
  }

  public Platform platform() {
    return platform;
  }

  // ---------------------------------------------------------------- who

  /**
   * The sockets on each port, with their holders.
   *
   * @param allStates every state, not only LISTEN (TCP) and unconnected (UDP)
   */
  public List<WhoResult> who(PortSet ports, Set<Protocol> protocols, boolean allStates) {
    Timing.mark("platform");
    List<SocketEntry> sockets = platform.sockets().snapshot(new SocketQuery(protocols, ports, !allStates, true));
    Timing.mark("snapshot");
    HolderResolver resolver = new HolderResolver(platform.processes(), platform.facts().isPrivileged());
    List<WhoResult> out = new ArrayList<>();
    List<SocketEntry> inOrder = sorted(sockets);
    for (int port : ports.toList()) {
      List<SocketReport> reports = new ArrayList<>();
      for (SocketEntry s : inOrder) {
        if (s.local().port() == port) {
          reports.add(resolver.report(s));
        }
      }
      out.add(whoVerdict(port, reports));
    }
    Timing.mark("holders");
    return out;
  }

  /** The one line a person acts on, its cause and remedy, for the sockets found on a port. */
  private WhoResult whoVerdict(int port, List<SocketReport> reports) {
    if (reports.isEmpty()) {
      return new WhoResult(port, reports, "nothing holds it", Optional.empty(), Optional.empty());
    }
    boolean anyHolder = reports.stream().anyMatch(r -> !r.holders().isEmpty());
    Optional<Origin> origin = reports.stream().flatMap(r -> r.holders().stream())
        .map(Holder::origin).flatMap(Optional::stream).findFirst();
    if (origin.isPresent()) {
      return new WhoResult(port, reports, heldBy(reports) + ", for " + origin.get().kind() + " "
          + origin.get().name(), Optional.of(origin.get().kind()), Optional.of(origin.get().remedy()));
    }
    if (anyHolder) {
      boolean listening = reports.stream().anyMatch(r -> r.socket().state().isListening() && !r.holders().isEmpty());
      return new WhoResult(port, reports, heldBy(reports),
          Optional.of(listening ? "listener" : "connections"), Optional.of(listenerRemedy(port, reports)));
    }
    if (reports.stream().anyMatch(r -> r.socket().ownerStatus() == OwnerStatus.HIDDEN)) {
      return new WhoResult(port, reports, describeHolders(reports), Optional.of("hidden"),
          Optional.of(platform.facts().isPrivileged() ? "the OS hides the owner even from root here"
              : "run portdoctor as root (sudo) to see the owner"));
    }
    if (reports.stream().allMatch(r -> r.socket().state() == SocketState.TIME_WAIT)) {
      return new WhoResult(port, reports, "no process: only " + reports.size() + " TIME_WAIT connection(s), which expire"
          + " on their own (60 s on Linux)", Optional.of("time-wait"),
          Optional.of("wait, or let the server set SO_REUSEADDR before it binds"));
    }
    return new WhoResult(port, reports, describeHolders(reports), Optional.of("unknown"), Optional.empty());
  }

  // ---------------------------------------------------------------- list

  /**
   * Every socket that passes the filters, with holders, sorted by port, protocol, address.
   *
   * @param pid only sockets that this process holds
   */
  public List<SocketReport> list(PortSet ports, Set<Protocol> protocols, boolean allStates, OptionalLong pid) {
    Timing.mark("platform");
    List<SocketEntry> sockets = platform.sockets().snapshot(new SocketQuery(protocols, ports, !allStates, true));
    Timing.mark("snapshot");
    HolderResolver resolver = new HolderResolver(platform.processes(), platform.facts().isPrivileged());
    List<SocketReport> out = new ArrayList<>();
    for (SocketEntry s : sorted(sockets)) {
      if (pid.isPresent() && s.owners().stream().noneMatch(o -> o.pid() == pid.getAsLong())) {
        continue;
      }
      out.add(resolver.report(s));
    }
    Timing.mark("holders");
    return out;
  }

  static List<SocketEntry> sorted(List<SocketEntry> sockets) {
    List<SocketEntry> copy = new ArrayList<>(sockets);
    copy.sort(PortDoctor::compareSockets);
    return copy;
  }

  /**
   * By local port, protocol, IPv4 before IPv6, address, state, then remote end. One method rather than a
   * chain of {@code Comparator.comparing}: the chain's lambdas are the JDK's, made at run time on every
   * call (no start-up archive holds them), and it boxed a key per comparison of a 30,000-row list.
   */
  static int compareSockets(SocketEntry a, SocketEntry b) {
    int c = Integer.compare(a.local().port(), b.local().port());
    if (c == 0) {
      c = a.protocol().compareTo(b.protocol());
    }
    if (c == 0) {
      c = Boolean.compare(a.local().isIpv6(), b.local().isIpv6());
    }
    if (c == 0) {
      c = a.local().address().compareTo(b.local().address());
    }
    if (c == 0) {
      c = a.state().compareTo(b.state());
    }
    if (c == 0 && (a.remote().isPresent() || b.remote().isPresent())) {
      c = a.remote().map(Endpoint::toString).orElse("").compareTo(b.remote().map(Endpoint::toString).orElse(""));
    }
    return c;
  }

  // ---------------------------------------------------------------- check

  /** How {@code check} binds. */
  public record CheckOptions(Protocol protocol, List<String> addresses, boolean strict) {
    public CheckOptions {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * The addresses probed when the user names none: the wildcards servers bind, and the loopback
   * addresses, so that a clash between address families shows (a [::1] listener blocks :: but not
   * 0.0.0.0; a 127.0.0.1 listener blocks 0.0.0.0).
   */
  public List<String> defaultAddresses() {
    return platform.facts().hasIpv6() ? List.of("0.0.0.0", "::", "127.0.0.1", "::1") : List.of("0.0.0.0", "127.0.0.1");
  }

  public List<CheckResult> check(PortSet ports, CheckOptions options) {
    List<CheckResult> out = new ArrayList<>();
    List<List<ProbeResult>> probesByPort = new ArrayList<>();
    boolean serversReuse = platform.facts().serversReuseAddress();
    for (int port : ports.toList()) {
      List<ProbeResult> probes = new ArrayList<>();
      for (String address : options.addresses()) {
        boolean reuse = serversReuse && !options.strict();
        ProbeResult first = platform.probe().probe(options.protocol(), address, port, reuse);
        probes.add(first);
        if (first.outcome() == BindOutcome.FREE && reuse) {
          // Would a server that does not set SO_REUSEADDR fail here? Only lingering connections
          // (TIME_WAIT...) make the difference; say so rather than hide it.
          probes.add(platform.probe().probe(options.protocol(), address, port, false));
        }
      }
      probesByPort.add(probes);
    }
    // One read of the socket table for all ports that are not free, or that only TIME_WAIT blocks.
    List<SocketEntry> sockets = List.of();
    PortSet look = lookAt(ports, probesByPort);
    if (look != null) {
      sockets = platform.sockets().snapshot(new SocketQuery(EnumSet.of(options.protocol()), look, false, true));
    }
    HolderResolver resolver = new HolderResolver(platform.processes(), platform.facts().isPrivileged());
    int i = 0;
    for (int port : ports.toList()) {
      CheckResult r = verdict(port, options, probesByPort.get(i++), sockets, resolver);
      out.add(r.withWarnings(warnings(port)));
    }
    return out;
  }

  /** What is worth knowing about the port whatever the verdict: the ranges the OS uses it for. */
  private List<Warning> warnings(int port) {
    List<Warning> w = new ArrayList<>();
    Optional<PortRange> reserved = platform.facts().reservedPorts().stream().filter(r -> r.contains(port)).findFirst();
    if (reserved.isPresent()) {
      w.add(new Warning("reserved-port", "port " + port + " is in net.ipv4.ip_local_reserved_ports (" + reserved.get()
          + "): the kernel never hands it to outgoing connections, so it stays available for a server"));
      return w;
    }
    platform.facts().ephemeralPortRange().filter(r -> r.contains(port)).ifPresent(r -> w.add(new Warning("ephemeral-range",
        "port " + port + " is inside the ephemeral range " + r + (r.label().isEmpty() ? "" : " (" + r.label() + ")")
            + ": any outgoing connection may"
            + " take it at any time; choose a server port outside it, or reserve it in net.ipv4.ip_local_reserved_ports")));
    return w;
  }

  private static PortSet lookAt(PortSet ports, List<List<ProbeResult>> probesByPort) {
    List<Integer> wanted = new ArrayList<>();
    int i = 0;
    for (int port : ports.toList()) {
      if (!allFree(probesByPort.get(i++), false)) {
        wanted.add(port);
      }
    }
    if (wanted.isEmpty()) {
      return null;
    }
    int[] arr = new int[wanted.size()];
    for (int k = 0; k < arr.length; k++) {
      arr[k] = wanted.get(k);
    }
    return PortSet.of(arr);
  }

  /** @param primaryOnly look only at the probes that decide the verdict (those made the way servers bind) */
  private static boolean allFree(List<ProbeResult> probes, boolean primaryOnly) {
    for (int k = 0; k < probes.size(); k++) {
      ProbeResult p = probes.get(k);
      boolean secondary = k > 0 && !p.reuseAddress() && probes.get(k - 1).reuseAddress()
          && p.address().equals(probes.get(k - 1).address());
      if (primaryOnly && secondary) {
        continue;
      }
      if (p.outcome() != BindOutcome.FREE) {
        return false;
      }
    }
    return true;
  }

  private CheckResult verdict(int port, CheckOptions options, List<ProbeResult> probes,
      List<SocketEntry> allSockets, HolderResolver resolver) {
    Protocol protocol = options.protocol();
    List<SocketEntry> here = new ArrayList<>();
    for (SocketEntry s : sorted(allSockets)) {
      if (s.local().port() == port && s.protocol() == protocol) {
        here.add(s);
      }
    }
    int timeWait = (int) here.stream().filter(s -> s.state() == SocketState.TIME_WAIT).count();
    List<SocketEntry> listeners = here.stream().filter(s -> s.state().isListening()).toList();

    boolean primaryFree = allFree(probes, true);
    boolean strictFree = allFree(probes, false);
    if (primaryFree) {
      if (strictFree) {
        return new CheckResult(port, protocol, Verdict.FREE, Optional.empty(),
            (options.addresses().size() == 1 ? "a trial bind on " : "trial binds on ") + joinAnd(options.addresses())
                + " succeeded",
            Optional.empty(), probes, List.of(), timeWait, false);
      }
      String reason = timeWait > 0
          ? "free for servers that set SO_REUSEADDR (most do); " + timeWait
              + " TIME_WAIT connection(s) remain, so a bind without SO_REUSEADDR fails until they expire (60 s on Linux)"
          : "free for servers that set SO_REUSEADDR (most do); a bind without it fails (connections still use the port)";
      return new CheckResult(port, protocol, Verdict.FREE, Optional.of("time-wait"), reason,
          Optional.of("set SO_REUSEADDR in the server, or wait for the connections to expire"),
          probes, reports(here, resolver), timeWait, true);
    }

    ProbeResult failed = probes.stream().filter(p -> p.outcome() != BindOutcome.FREE).findFirst().orElseThrow();
    switch (failed.outcome()) {
      case IN_USE: {
        List<SocketEntry> shown = listeners.isEmpty() ? here : listeners;
        List<SocketReport> reports = reports(shown, resolver);
        if (!listeners.isEmpty()) {
          return listenerVerdict(port, protocol, probes, reports, timeWait);
        }
        if (timeWait > 0 && timeWait == here.size()) {
          // Linux lets a SO_REUSEADDR bind pass a TIME_WAIT socket only if that socket's own listener
          // had SO_REUSEADDR too; so even the way most servers bind can fail here.
          String reason = failed.reuseAddress()
              ? "no process holds it, but " + timeWait + " TIME_WAIT connection(s) remain from a server that did"
                  + " not set SO_REUSEADDR, so every bind fails until they expire (60 s on Linux)"
              : "no process holds it, but " + timeWait + " TIME_WAIT connection(s) remain, and a bind without"
                  + " SO_REUSEADDR fails until they expire (60 s on Linux)";
          return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("time-wait"), reason,
              Optional.of("wait for the connections to expire, and set SO_REUSEADDR in the server before it binds"),
              probes, reports, timeWait, true);
        }
        if (!here.isEmpty()) {
          return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("connections"),
              "no listener, but " + here.size() + " connection(s) use it as their local port: " + describeHolders(reports),
              Optional.of("end the process(es) holding the connections, or bind with SO_REUSEADDR"),
              probes, reports, timeWait, false);
        }
        return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("unknown"),
            "the OS says it is in use (" + failed.message().orElse("address already in use")
                + ") but the socket table shows no socket on it; it may have closed meanwhile",
            Optional.of("run the check again"), probes, List.of(), timeWait, false);
      }
      case PERMISSION: {
        Optional<PortRange> excluded = platform.facts().excludedRange(protocol, port);
        if (excluded.isPresent()) {
          PortRange r = excluded.get();
          return new CheckResult(port, protocol, Verdict.NOT_BINDABLE, Optional.of("excluded-range"),
              "port " + port + " lies in a range reserved by Windows (" + r + ", " + r.label() + "; Hyper-V, WSL,"
                  + " WinNAT or Docker reserve these): binds fail although no process holds it",
              Optional.of("pick a port outside " + r + " (portdoctor free); or, as administrator, release the dynamic"
                  + " reservations with 'net stop winnat' then 'net start winnat'; to keep a port for yourself:"
                  + " 'netsh int ipv4 add excludedportrange protocol=" + protocol.label() + " startport=PORT numberofports=1'"),
              probes, List.of(), timeWait, false);
        }
        OptionalInt start = platform.facts().unprivilegedPortStart();
        if (start.isPresent() && port < start.getAsInt() && !platform.facts().canBindPrivilegedPorts()) {
          return new CheckResult(port, protocol, Verdict.NOT_BINDABLE, Optional.of("privileged"),
              "port " + port + " is privileged: ports below " + start.getAsInt()
                  + " (net.ipv4.ip_unprivileged_port_start) need root or CAP_NET_BIND_SERVICE",
              Optional.of("use a port from " + start.getAsInt() + " up, run as root, grant the binary "
                  + "'setcap cap_net_bind_service=+ep', or put a reverse proxy in front"),
              probes, List.of(), timeWait, false);
        }
        return new CheckResult(port, protocol, Verdict.NOT_BINDABLE, Optional.of("permission"),
            "the OS refuses the bind on " + failed.address() + ": " + failed.message().orElse("permission denied"),
            Optional.empty(), probes, List.of(), timeWait, false);
      }
      case ADDRESS_NOT_AVAILABLE:
        return new CheckResult(port, protocol, Verdict.NOT_BINDABLE, Optional.of("address-not-available"),
            "address " + failed.address() + " is not on any interface of this machine ("
                + failed.message().orElse("cannot assign requested address") + ")",
            Optional.of("bind to an address this machine has (ip addr), or to 0.0.0.0 / ::"),
            probes, List.of(), timeWait, false);
      case FAMILY_NOT_SUPPORTED:
        return new CheckResult(port, protocol, Verdict.NOT_BINDABLE, Optional.of("family-not-supported"),
            "the address family of " + failed.address() + " is not available on this machine ("
                + failed.message().orElse("not supported") + ")",
            Optional.empty(), probes, List.of(), timeWait, false);
      default:
        return new CheckResult(port, protocol, Verdict.NOT_BINDABLE, Optional.of("error"),
            "the bind on " + failed.address() + " failed: " + failed.message().orElse("unknown error"),
            Optional.empty(), probes, List.of(), timeWait, false);
    }
  }

  /**
   * A listener blocks the port. Which binds fail tells the family clash apart from a plain conflict,
   * and some holders are not the answer themselves (Windows' kernel HTTP driver, the WSL relay).
   */
  private CheckResult listenerVerdict(int port, Protocol protocol, List<ProbeResult> probes,
      List<SocketReport> reports, int timeWait) {
    String heldBy = heldBy(reports);
    for (SocketReport r : reports) {
      for (Holder h : r.holders()) {
        String name = h.process().name().toLowerCase(java.util.Locale.ROOT);
        if (h.process().pid() == 4 && name.equals("system")) {
          return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("http-sys"),
              "held by the Windows kernel (PID 4): the HTTP driver http.sys listens on it for a Windows service or IIS",
              Optional.of("'netsh http show servicestate' names the service (and 'netsh http show urlacl' the URL"
                  + " reservations); stop that service (IIS: iisreset /stop; others: net stop NAME); never end PID 4"),
              probes, reports, timeWait, false);
        }
        if (name.equals("wslrelay.exe") || name.equals("wslrelay")) {
          return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("wsl-relay"),
              "held by the WSL relay (pid " + h.process().pid() + "), which forwards the port to a Linux process inside WSL",
              Optional.of("find it inside WSL ('portdoctor who " + port + "' or 'ss -ltnp' there) and stop it there,"
                  + " or stop the distribution ('wsl --terminate NAME', 'wsl --shutdown')"),
              probes, reports, timeWait, false);
        }
      }
    }
    List<String> blocked = new ArrayList<>();
    List<String> open = new ArrayList<>();
    for (int k = 0; k < probes.size(); k++) {
      ProbeResult p = probes.get(k);
      boolean secondary = k > 0 && !p.reuseAddress() && probes.get(k - 1).reuseAddress()
          && p.address().equals(probes.get(k - 1).address());
      if (secondary) {
        continue;
      }
      (p.outcome() == BindOutcome.FREE ? open : blocked).add(p.address());
    }
    if (open.isEmpty()) {
      return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("listener"), heldBy,
          Optional.of(listenerRemedy(port, reports)), probes, reports, timeWait, false);
    }
    StringBuilder why = new StringBuilder(heldBy).append(": a bind on ")
        .append(joinAnd(blocked)).append(" fails; on ").append(joinAnd(open)).append(" it works");
    for (SocketReport r : reports) {
      why.append("; ").append(familyExplanation(r.socket().local()));
    }
    return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("family-clash"), why.toString(),
        Optional.of("a server that binds only " + String.join(" or ", open) + " can start; to use every address, "
            + listenerRemedy(port, reports)), probes, reports, timeWait, false);
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  public static String joinAnd(List<String> items) {
    if (items.size() <= 1) {
      return String.join("", items);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  /** Why a listener on this address blocks some binds and not others. */
  static String familyExplanation(Endpoint local) {
    String a = local.address();
    if (a.equals("::")) {
      return "a listener on [::] is dual-stack unless it set IPV6_V6ONLY, and then holds the IPv4 port too";
    }
    if (a.equals("0.0.0.0")) {
      return "an IPv4 listener on 0.0.0.0 blocks every IPv4 address and a dual-stack bind on ::, but not an"
          + " IPv6-only one (IPV6_V6ONLY)";
    }
    if (a.startsWith("::ffff:")) {
      return "a listener on " + a + " (IPv4 through an IPv6 socket) blocks " + a.substring(7) + " and the wildcards"
          + " 0.0.0.0 and ::";
    }
    if (local.isIpv6()) {
      return "a listener on [" + a + "] blocks the wildcard :: but no IPv4 address";
    }
    return "a listener on " + a + " blocks that address and the wildcards 0.0.0.0 and ::, but not other addresses";
  }

  private static List<SocketReport> reports(List<SocketEntry> sockets, HolderResolver resolver) {
    List<SocketReport> out = new ArrayList<>(sockets.size());
    for (SocketEntry s : sockets) {
      out.add(resolver.report(s));
    }
    return out;
  }

  /**
   * "held by pid 1234 (java), ...": {@link #describeHolders} after "held by", whose notes ("held by a
   * process of uid 0 that ...") say it once.
   */
  static String heldBy(List<SocketReport> reports) {
    String d = describeHolders(reports);
    return d.startsWith("held by ") ? d : "held by " + d.replace(", held by ", ", ");
  }

  /** "pid 1234 (java), pid 1240 (java)", or why no owner can be named. */
  static String describeHolders(List<SocketReport> reports) {
    List<String> names = new ArrayList<>();
    for (SocketReport r : reports) {
      r.note().filter(n -> !names.contains(n)).ifPresent(names::add);
      for (Holder h : r.holders()) {
        String s = "pid " + h.process().pid() + " (" + h.process().name() + ")";
        if (h.depth() == 0 && !names.contains(s)) {
          names.add(s);
        }
      }
    }
    return names.isEmpty() ? "a socket with no known owner" : String.join(", ", names);
  }

  private static String listenerRemedy(int port, List<SocketReport> reports) {
    for (SocketReport r : reports) {
      for (Holder h : r.holders()) {
        if (h.origin().isPresent()) {
          return h.origin().get().remedy() + " (killing pid " + h.process().pid() + " would not free it for long)";
        }
      }
    }
    boolean known = reports.stream().anyMatch(r -> !r.holders().isEmpty());
    return known
        ? "stop that process (portdoctor kill " + port + "), or choose another port (portdoctor free)"
        : "run as root to see the owner, or choose another port";
  }
}
