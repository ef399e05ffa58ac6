package dev.portdoctor.os.remote;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortProbe;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.ProcessControl;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.ProcessSource;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.core.SystemFacts;
import dev.portdoctor.os.linux.LinuxSystemFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A host's state as one remote read saw it, as a {@link Platform}: the use cases ({@code who},
 * {@code list}, {@code check}, {@code stats}, the kill plan) run on it unchanged, with the same verdicts
 * and the same refusals as on this machine. Its "self" is the remote shell that ran the script, and its
 * ancestors are that shell's (the sshd session): kill never plans to end them. Signals are not sent
 * through it: {@link RemoteKill} sends them in one script of its own.
 */
public final class RemotePlatform {
  private RemotePlatform() {}

  /** The platform of a snapshot. */
  public static Platform of(RemoteSnapshot s) {
    String osName = osName(s.os());
    Map<Long, ProcessInfo> procs = s.processes();
    SocketSource sockets = new SocketSource() {
      @Override
      public String name() {
        return s.source();
      }

      @Override
      public List<SocketEntry> snapshot(SocketQuery q) {
        List<SocketEntry> out = new ArrayList<>();
        for (SocketEntry e : s.sockets()) {
          if (q.accepts(e.protocol(), e.local().port(), e.state())) {
            out.add(e);
          }
        }
        return out;
      }
    };
    ProcessSource processes = new ProcessSource() {
      @Override
      public Optional<ProcessInfo> info(long pid) {
        return Optional.ofNullable(procs.get(pid));
      }
    };
    return new Platform(osName, sockets, processes, probe(s), facts(s, osName), control(s));
  }

  /** {@code linux}, {@code mac os x}, {@code windows}, or the uname in lower case. */
  static String osName(String uname) {
    String u = uname.toLowerCase(Locale.ROOT);
    if (u.equals("darwin")) {
      return "mac os x";
    }
    return u.startsWith("windows") ? "windows" : u;
  }

  /** The trial binds the host made (python3), looked up by address, port and SO_REUSEADDR. */
  private static PortProbe probe(RemoteSnapshot s) {
    Map<String, ProbeResult> results = new HashMap<>();
    Protocol protocol = Protocol.TCP;
    for (String line : s.probeLines()) {
      ProbeResult r = ProbeLines.bind(line, protocol);
      if (r != null) {
        results.put(r.address() + " " + r.port() + " " + r.reuseAddress(), r);
      }
    }
    return (proto, address, port, reuse) -> {
      ProbeResult r = results.get(address + " " + port + " " + reuse);
      if (r == null) {
        throw new PortDoctorException(PortDoctorException.UNREACHABLE, "no trial bind of " + address + " port " + port
            + " came back from the host");
      }
      return new ProbeResult(proto, r.address(), r.port(), r.reuseAddress(), r.outcome(), r.message());
    };
  }

  private static SystemFacts facts(RemoteSnapshot s, String osName) {
    boolean root = s.uid().isPresent() && s.uid().getAsInt() == 0;
    boolean windows = osName.equals("windows");
    boolean linux = osName.equals("linux");
    return new SystemFacts() {
      @Override
      public boolean isPrivileged() {
        return root || (windows && s.settings().containsKey("admin") && s.settings().get("admin").equals("True"));
      }

      @Override
      public OptionalInt unprivilegedPortStart() {
        if (windows || osName.equals("mac os x")) {
          return OptionalInt.empty();
        }
        String v = s.settings().get("net.ipv4.ip_unprivileged_port_start");
        if (v != null && !v.isEmpty() && v.length() < 7 && v.chars().allMatch(Character::isDigit)) {
          return OptionalInt.of(Integer.parseInt(v));
        }
        return OptionalInt.of(1024);
      }

      @Override
      public List<PortRange> reservedPorts() {
        String v = s.settings().get("net.ipv4.ip_local_reserved_ports");
        return v == null ? List.of() : LinuxSystemFacts.parseReserved(v);
      }

      @Override
      public boolean hasIpv6() {
        return s.ipv6();
      }

      @Override
      public boolean serversReuseAddress() {
        return !windows;
      }

      @Override
      public Optional<PortRange> ephemeralPortRange() {
        if (linux) {
          String v = s.settings().get("net.ipv4.ip_local_port_range");
          return v == null ? Optional.empty() : LinuxSystemFacts.parsePortRange(v);
        }
        String first = s.settings().get(windows ? "dynamic.start" : "net.inet.ip.portrange.first");
        String last = s.settings().get(windows ? "dynamic.last" : "net.inet.ip.portrange.last");
        try {
          return first == null || last == null ? Optional.empty()
              : Optional.of(new PortRange(Integer.parseInt(first.strip()), Integer.parseInt(last.strip())));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }

      @Override
      public Optional<String> kernelSetting(String name) {
        return Optional.ofNullable(s.settings().get(name));
      }
    };
  }

  /** Queries answered from the snapshot; signals are refused (RemoteKill sends them). */
  private static ProcessControl control(RemoteSnapshot s) {
    Map<Long, ProcessInfo> procs = s.processes();
    return new ProcessControl() {
      @Override
      public Sent stop(long pid, String signal) {
        throw new IllegalStateException("signals to a remote host go through RemoteKill");
      }

      @Override
      public Sent forceStop(long pid) {
        throw new IllegalStateException("signals to a remote host go through RemoteKill");
      }

      @Override
      public boolean isAlive(long pid) {
        return procs.containsKey(pid);
      }

      @Override
      public Optional<Instant> startTime(long pid) {
        ProcessInfo p = procs.get(pid);
        return p == null ? Optional.empty() : p.startTime();
      }

      @Override
      public List<Long> descendantsBottomUp(long pid) {
        List<Long> out = new ArrayList<>();
        collect(pid, out, 0);
        return out;
      }

      private void collect(long pid, List<Long> out, int depth) {
        if (depth > 64) {
          return;
        }
        for (ProcessInfo p : procs.values()) {
          if (p.parentPid().isPresent() && p.parentPid().getAsLong() == pid && p.pid() != pid) {
            collect(p.pid(), out, depth + 1);
            out.add(p.pid());
          }
        }
      }

      @Override
      public long self() {
        return s.self().orElse(-1);
      }

      @Override
      public Optional<String> currentUser() {
        ProcessInfo me = s.self().isPresent() ? procs.get(s.self().getAsLong()) : null;
        return me == null ? Optional.empty() : me.user();
      }

      @Override
      public List<Long> selfAncestors() {
        List<Long> out = new ArrayList<>();
        if (s.self().isEmpty()) {
          return out;
        }
        ProcessInfo cur = procs.get(s.self().getAsLong());
        while (cur != null && cur.parentPid().isPresent() && out.size() < 64) {
          long pp = cur.parentPid().getAsLong();
          if (pp <= 0 || out.contains(pp)) {
            break;
          }
          out.add(pp);
          cur = procs.get(pp);
        }
        return out;
      }

      @Override
      public List<String> signals() {
        return List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "KILL");
      }
    };
  }
}
