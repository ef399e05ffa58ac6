package dev.portdoctor.testkit;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.ProcessControl;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.core.SystemFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An in-memory OS for use-case tests (hand-written, no mocking library): processes, listening sockets,
 * and signals that are recorded instead of sent. A process that gets a signal dies (and its sockets
 * close) unless the test said it ignores the polite one.
 */
public final class FakePlatform {
  private final Map<Long, ProcessInfo> processes = new HashMap<>();
  private final Map<Long, Instant> starts = new HashMap<>();
  private final Set<Long> alive = new HashSet<>();
  private final Set<Long> ignoresTerm = new HashSet<>();
  private final Set<Long> exitsSlowly = new HashSet<>();
  private final Set<Long> masters = new HashSet<>();
  private final Set<Long> respawners = new HashSet<>();
  private long nextPid = 70000;
  private String caller = "root";
  private final Map<Long, Instant> startAfterPlan = new HashMap<>();
  private final List<long[]> listeners = new ArrayList<>(); // {port, pid}
  /** Every signal sent, as {@code "TERM 4242"} / {@code "KILL 4242"}. */
  public final List<String> signals = new ArrayList<>();
  /** Every trial bind asked for, as "ADDRESS PORT", in order. */
  public final List<String> probes = java.util.Collections.synchronizedList(new ArrayList<>());
  private long self = 90000;
  private final List<Long> selfAncestors = new ArrayList<>(List.of(89999L, 1L));
  private boolean planned;
  private String osName = "linux";

  public FakePlatform process(long pid, long ppid, String name, String user) {
    Instant start = Instant.parse("2026-11-29T10:00:00Z").plusSeconds(pid);
    processes.put(pid, new ProcessInfo(pid, ppid > 0 ? OptionalLong.of(ppid) : OptionalLong.empty(), name,
        Optional.of("/usr/bin/" + name), Optional.of(name + " --serve"), Optional.of(user), OptionalInt.empty(),
        Optional.of(start)));
    starts.put(pid, start);
    alive.add(pid);
    return this;
  }

  public FakePlatform listening(int port, long pid) {
    listeners.add(new long[] {port, pid});
    return this;
  }

  /** The listener on the port closes (its process lives on). */
  public FakePlatform notListening(int port) {
    listeners.removeIf(l -> l[0] == port);
    return this;
  }

  public FakePlatform ignoresTerm(long pid) {
    ignoresTerm.add(pid);
    return this;
  }

  /**
   * The process counts as gone once signalled, but its sockets stay in the table: a multi-threaded
   * process whose other threads have not finished exiting, as seen by a reader that misses them.
   */
  public FakePlatform exitsSlowly(long pid) {
    exitsSlowly.add(pid);
    return this;
  }

  /** Gives every process so far a numeric uid: 0 for root, 1000 and up for the other users. */
  public FakePlatform withUids() {
    Map<String, Integer> uids = new HashMap<>();
    uids.put("root", 0);
    for (ProcessInfo p : new ArrayList<>(processes.values())) {
      String user = p.user().orElse("root");
      int uid = uids.computeIfAbsent(user, u -> 1000 + uids.size());
      processes.put(p.pid(), new ProcessInfo(p.pid(), p.parentPid(), p.name(), p.executable(), p.commandLine(),
          p.user(), OptionalInt.of(uid), p.startTime()));
    }
    return this;
  }

  /** A master (nginx, httpd): on the polite stop it ends its children, then itself. */
  public FakePlatform master(long pid) {
    masters.add(pid);
    return this;
  }

  /**
   * A master that starts a new worker (a new PID that holds the same ports) whenever one of its children
   * dies while it runs, as nginx and httpd do.
   */
  public FakePlatform respawnsWorkers(long pid) {
    respawners.add(pid);
    return this;
  }

  /**
   * The user portdoctor runs as. Like the kernel, a caller other than root may signal only its own
   * user's processes: any other signal is DENIED.
   */
  public FakePlatform caller(String user) {
    caller = user;
    return this;
  }

  /** After the plan is made, the PID belongs to a new process (another start time). */
  public FakePlatform pidReusedAfterPlan(long pid) {
    startAfterPlan.put(pid, Instant.parse("2026-11-29T12:00:00Z"));
    return this;
  }

  public FakePlatform self(long pid, long... ancestors) {
    self = pid;
    selfAncestors.clear();
    for (long a : ancestors) {
      selfAncestors.add(a);
    }
    return this;
  }

  public FakePlatform os(String name) {
    osName = name;
    return this;
  }

  /** Marks the end of the plan: PID reuse set up with {@link #pidReusedAfterPlan} takes effect. */
  void afterPlan() {
    if (!planned) {
      planned = true;
      starts.putAll(startAfterPlan);
    }
  }

  public boolean isAlive(long pid) {
    return alive.contains(pid);
  }

  private void die(long pid) {
    if (!alive.remove(pid)) {
      return;
    }
    List<long[]> held = new ArrayList<>();
    for (long[] l : listeners) {
      if (l[1] == pid) {
        held.add(l);
      }
    }
    if (!exitsSlowly.contains(pid)) {
      listeners.removeIf(l -> l[1] == pid);
    }
    ProcessInfo p = processes.get(pid);
    long parent = p == null || p.parentPid().isEmpty() ? 0 : p.parentPid().getAsLong();
    if (respawners.contains(parent) && alive.contains(parent)) {
      long fresh = nextPid++;
      process(fresh, parent, p.name(), p.user().orElse("root"));
      for (long[] l : held) {
        listeners.add(new long[] {l[0], fresh});
      }
    }
  }

  /** The master shuts down: it starts no new workers, ends the ones it has, then exits. */
  private void stopMaster(long pid) {
    respawners.remove(pid);
    for (ProcessInfo p : new ArrayList<>(processes.values())) {
      if (alive.contains(p.pid()) && p.parentPid().isPresent() && p.parentPid().getAsLong() == pid) {
        die(p.pid());
      }
    }
    die(pid);
  }

  private boolean mayNotSignal(long pid) {
    ProcessInfo p = processes.get(pid);
    return !caller.equals("root") && p != null && !p.user().orElse("").equals(caller);
  }

  public Platform platform() {
    SocketSource sockets = new SocketSource() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public List<SocketEntry> snapshot(SocketQuery q) {
        Map<Integer, List<Owner>> byPort = new HashMap<>();
        for (long[] l : listeners) {
          if (q.ports().contains((int) l[0]) && q.protocols().contains(Protocol.TCP)) {
            byPort.computeIfAbsent((int) l[0], k -> new ArrayList<>()).add(Owner.of(l[1]));
          }
        }
        List<SocketEntry> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Owner>> e : byPort.entrySet()) {
          out.add(new SocketEntry(Protocol.TCP, new Endpoint("0.0.0.0", e.getKey()), Optional.empty(),
              SocketState.LISTEN, OptionalInt.of(0), OptionalLong.of(1000 + e.getKey()), OwnerStatus.KNOWN, e.getValue()));
        }
        return out;
      }
    };
    SystemFacts facts = new SystemFacts() {
      @Override
      public boolean isPrivileged() {
        return true;
      }

      @Override
      public OptionalInt unprivilegedPortStart() {
        return OptionalInt.of(1024);
      }

      @Override
      public boolean hasIpv6() {
        return false;
      }
    };
    ProcessControl control = new ProcessControl() {
      @Override
      public Sent stop(long pid, String signal) {
        afterPlan();
        if (!alive.contains(pid)) {
          return Sent.of(SignalResult.GONE);
        }
        if (mayNotSignal(pid)) {
          return new Sent(SignalResult.DENIED, "operation not permitted");
        }
        signals.add(signal + " " + pid);
        if (ignoresTerm.contains(pid)) {
          return Sent.of(SignalResult.SENT);
        }
        if (masters.contains(pid)) {
          stopMaster(pid);
        } else {
          die(pid);
        }
        return Sent.of(SignalResult.SENT);
      }

      @Override
      public Sent forceStop(long pid) {
        if (!alive.contains(pid)) {
          return Sent.of(SignalResult.GONE);
        }
        if (mayNotSignal(pid)) {
          return new Sent(SignalResult.DENIED, "operation not permitted");
        }
        signals.add("KILL " + pid);
        die(pid);
        return Sent.of(SignalResult.SENT);
      }

      @Override
      public boolean isAlive(long pid) {
        afterPlan();
        return alive.contains(pid);
      }

      @Override
      public Optional<Instant> startTime(long pid) {
        return alive.contains(pid) ? Optional.ofNullable(starts.get(pid)) : Optional.empty();
      }

      @Override
      public List<Long> descendantsBottomUp(long pid) {
        List<Long> out = new ArrayList<>();
        collect(pid, out);
        java.util.Collections.reverse(out);
        return out;
      }

      private void collect(long pid, List<Long> out) {
        for (ProcessInfo p : processes.values()) {
          if (alive.contains(p.pid()) && p.parentPid().isPresent() && p.parentPid().getAsLong() == pid) {
            out.add(p.pid());
            collect(p.pid(), out);
          }
        }
      }

      @Override
      public long self() {
        return self;
      }

      @Override
      public Optional<String> currentUser() {
        return Optional.of(caller);
      }

      @Override
      public List<Long> selfAncestors() {
        return selfAncestors;
      }

      @Override
      public List<String> signals() {
        return List.of("TERM", "INT", "HUP", "KILL");
      }
    };
    return new Platform(osName, sockets,
        pid -> alive.contains(pid) ? Optional.ofNullable(processes.get(pid)) : Optional.empty(),
        (protocol, address, port, reuse) -> {
          probes.add(address + " " + port);
          boolean held = listeners.stream().anyMatch(l -> l[0] == port);
          return new ProbeResult(protocol, address, port, reuse, held ? BindOutcome.IN_USE : BindOutcome.FREE,
              held ? Optional.of("Address already in use") : Optional.empty());
        },
        facts, control);
  }
}
