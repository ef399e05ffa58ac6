package dev.portdoctor.core;

import java.util.ArrayList;
import java.util.Comparator;
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
    List<SocketEntry> sockets = platform.sockets().snapshot(new SocketQuery(protocols, ports, !allStates, true));
    HolderResolver resolver = new HolderResolver(platform.processes(), platform.facts().isPrivileged());
    List<WhoResult> out = new ArrayList<>();
    for (int port : ports.toList()) {
      List<SocketReport> reports = new ArrayList<>();
      for (SocketEntry s : sorted(sockets)) {
        if (s.local().port() == port) {
          reports.add(resolver.report(s));
        }
      }
      out.add(new WhoResult(port, reports));
    }
    return out;
  }

  // ---------------------------------------------------------------- list

  /**
   * Every socket that passes the filters, with holders, sorted by port, protocol, address.
   *
   * @param pid only sockets that this process holds
   */
  public List<SocketReport> list(PortSet ports, Set<Protocol> protocols, boolean allStates, OptionalLong pid) {
    List<SocketEntry> sockets = platform.sockets().snapshot(new SocketQuery(protocols, ports, !allStates, true));
    HolderResolver resolver = new HolderResolver(platform.processes(), platform.facts().isPrivileged());
    List<SocketReport> out = new ArrayList<>();
    for (SocketEntry s : sorted(sockets)) {
      if (pid.isPresent() && s.owners().stream().noneMatch(o -> o.pid() == pid.getAsLong())) {
        continue;
      }
      out.add(resolver.report(s));
    }
    return out;
  }

  static List<SocketEntry> sorted(List<SocketEntry> sockets) {
    List<SocketEntry> copy = new ArrayList<>(sockets);
    copy.sort(Comparator.comparingInt((SocketEntry s) -> s.local().port())
        .thenComparing(s -> s.protocol())
        .thenComparing(s -> s.local().isIpv6())
        .thenComparing(s -> s.local().address())
        .thenComparing(s -> s.state())
        .thenComparing(s -> s.remote().map(Endpoint::toString).orElse("")));
    return copy;
  }

  // ---------------------------------------------------------------- check

  /** How {@code check} binds. */
  public record CheckOptions(Protocol protocol, List<String> addresses, boolean strict) {
    public CheckOptions {
      addresses = List.copyOf(addresses);
    }
  }

  /** The addresses probed when the user names none: the IPv4 wildcard, and the IPv6 one when IPv6 is up. */
  public List<String> defaultAddresses() {
    return platform.facts().hasIpv6() ? List.of("0.0.0.0", "::") : List.of("0.0.0.0");
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
      out.add(verdict(port, options, probesByPort.get(i++), sockets, resolver));
    }
    return out;
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
            "a trial bind on " + String.join(" and ", options.addresses()) + " succeeded",
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
          return new CheckResult(port, protocol, Verdict.IN_USE, Optional.of("listener"),
              "held by " + describeHolders(reports), Optional.of(listenerRemedy(port, reports)),
              probes, reports, timeWait, false);
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
        if (start.isPresent() && port < start.getAsInt() && !platform.facts().isPrivileged()) {
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

  private static List<SocketReport> reports(List<SocketEntry> sockets, HolderResolver resolver) {
    List<SocketReport> out = new ArrayList<>(sockets.size());
    for (SocketEntry s : sockets) {
      out.add(resolver.report(s));
    }
    return out;
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
