package dev.portdoctor.core;

import dev.portdoctor.core.KillOutcome.Result;
import dev.portdoctor.core.KillReport.Respawn;
import dev.portdoctor.core.KillReport.Status;
import dev.portdoctor.core.ProcessControl.Sent;
import dev.portdoctor.core.ProcessControl.SignalResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Frees a port: finds the holders as {@code who} does, plans which processes to end (and which never
 * to), then stops them politely, forces the survivors, and proves the result with a trial bind.
 *
 * <p>Safety, with any flag: never PID 0 or 1, the Windows System process (PID 4), portdoctor itself or
 * any of its ancestors. Only with {@code --force}: critical system processes and a container's port
 * forwarder. Another user's process is not refused: root may end it, and for anyone else the OS refuses
 * the signal (reported as denied, exit 3).
 *
 * <p>Order, the way a server's master expects it: the polite signal to the master of each tree first (the
 * holder at the top: nginx, httpd, php-fpm stop their workers themselves, and restart workers that die
 * under them), up to half the timeout for it to exit; then the polite signal to whatever remains of its
 * tree, deepest first (with what the master started meanwhile); at the deadline the forced stop, masters
 * first. When the OS refuses the master, the rest of its tree is left alone. Right before each signal the process's start time must be the one recorded when it was
 * found (psutil's identity: PID plus create time), and a holder must still hold the socket.
 */
public final class Killer {
  /** Processes whose death takes the machine, a login or a whole service manager with it. */
  static final Set<String> CRITICAL = Set.of(
      "init", "systemd", "sshd", "launchd", "dockerd", "containerd", "kernel_task", "loginwindow",
      "wininit", "csrss", "services", "lsass", "svchost", "smss", "winlogon", "system", "dbus-daemon",
      "polkitd");

  private static final Duration POLL = Duration.ofMillis(25);
  private static final Duration FORCE_WAIT = Duration.ofSeconds(3);
  private static final Duration FREE_WAIT = Duration.ofSeconds(2);
  private static final String NO_LONGER_HOLDS =
      "no longer holds the port (it closed the socket or handed it on); not signalled";

  private final PortDoctor doctor;
  private final Platform platform;
  private final Consumer<KillOutcome> progress;

  /**
   * @param progress told of each outcome as it happens (for a report on Ctrl-C)
   */
  public Killer(PortDoctor doctor, Consumer<KillOutcome> progress) {
    this.doctor = doctor;
    this.platform = doctor.platform();
    this.progress = progress;
  }

  // ---------------------------------------------------------------- plan

  /** The holders of the port and the processes to end, before anything is done. */
  public KillReport plan(int port, Protocol protocol, KillOptions options) {
    List<SocketReport> sockets = doctor.who(PortSet.of(port), EnumSet.of(protocol), false).get(0).sockets();
    if (sockets.isEmpty()) {
      return new KillReport(port, protocol, Status.NOTHING_HELD, sockets, List.of(), List.of(), Optional.empty(),
          Optional.empty(), "nothing holds port " + port + "/" + protocol.label());
    }
    List<String> hidden = new ArrayList<>();
    Map<Long, KillTarget> plan = new LinkedHashMap<>();
    for (SocketReport s : sockets) {
      if (s.holders().isEmpty()) {
        s.note().ifPresent(hidden::add);
        continue;
      }
      Optional<Long> inode = s.socket().inode().isPresent() ? Optional.of(s.socket().inode().getAsLong()) : Optional.empty();
      for (Holder top : s.holders()) {
        if (top.depth() != 0) {
          continue;
        }
        if (options.parent() && top.process().parentPid().isPresent()) {
          long ppid = top.process().parentPid().getAsLong();
          ProcessInfo parent = top.ancestors().isEmpty() ? ProcessInfo.unknown(ppid) : top.ancestors().get(0);
          plan.putIfAbsent(ppid, target(parent, "parent", Optional.empty(), options));
        }
        KillTarget holderTarget = target(top.process(), "holder", inode, options);
        if (top.origin().isPresent() && top.origin().get().kind().endsWith("-container") && !options.force()
            && holderTarget.refusal().isEmpty()) {
          // ending a container's port forwarder (docker-proxy, rootlesskit, conmon, pasta) leaves the
          // container running and its port mapping broken
          holderTarget = new KillTarget(top.process(), "holder", holderTarget.startTime(), inode,
              Optional.of("it forwards the port for " + top.origin().get().kind() + " " + top.origin().get().name()
                  + "; " + top.origin().get().remedy() + " instead (or add --force)"), true);
        }
        // the master first: it is asked to stop before anything below it (it stops its own workers, and
        // would start new ones for any that died under it)
        Optional<ProcessInfo> master = hiddenMaster(s, top);
        if (master.isPresent()) {
          plan.putIfAbsent(master.get().pid(), target(master.get(), "master", Optional.empty(), options));
          holderTarget = holderTarget.under(master.get().pid());
        }
        plan.putIfAbsent(top.process().pid(), holderTarget);
        // then the holders it started (pre-fork workers: nginx, httpd, php-fpm, postgres), and with
        // --tree every descendant, deepest first; another user's worker belongs to the tree all the same
        List<Long> below = options.tree()
            ? platform.control().descendantsBottomUp(top.process().pid())
            : workersBottomUp(s, top);
        for (long pid : below) {
          boolean holds = s.holders().stream().anyMatch(h -> h.process().pid() == pid);
          ProcessInfo info = platform.processes().info(pid).orElse(ProcessInfo.unknown(pid));
          plan.putIfAbsent(pid, target(info, holds ? "holder" : "descendant", holds ? inode : Optional.empty(), options)
              .under(master.map(ProcessInfo::pid).orElse(top.process().pid())));
        }
      }
    }
    List<KillTarget> targets = orderForExecution(new ArrayList<>(plan.values()));
    if (targets.isEmpty()) {
      return new KillReport(port, protocol, Status.DENIED, sockets, List.of(), List.of(), Optional.empty(),
          Optional.empty(), "port " + port + " is " + String.join("; ", hidden));
    }
    Optional<KillTarget> refusedHolder = targets.stream()
        .filter(t -> (t.role().equals("holder") || t.role().equals("master")) && t.refusal().isPresent()).findFirst();
    if (refusedHolder.isPresent()) {
      KillTarget t = refusedHolder.get();
      return new KillReport(port, protocol, Status.DENIED, sockets, targets, List.of(), Optional.empty(),
          Optional.empty(), "will not end pid " + t.pid() + " (" + t.process().name() + "): " + t.refusal().get());
    }
    return new KillReport(port, protocol, Status.PLANNED, sockets, targets, List.of(), Optional.empty(),
        Optional.empty(), "would end " + targets.stream().filter(t -> t.refusal().isEmpty()).count()
            + " process(es) to free port " + port + "/" + protocol.label());
  }

  /**
   * The master of a holder when this user cannot see that it holds the socket too: the kernel says the
   * socket was made by uid U, the holder runs as another uid, and its parent (not init) runs as U. That
   * is a master that bound the port and handed it to workers running as an unprivileged user (nginx,
   * httpd, php-fpm, postgres), seen by that user: its own fds are not readable, its workers' are.
   * Ending the workers alone would only make it start new ones, so it is asked first.
   */
  private static Optional<ProcessInfo> hiddenMaster(SocketReport s, Holder top) {
    if (s.socket().uid().isEmpty() || top.process().uid().isEmpty() || top.ancestors().isEmpty()) {
      return Optional.empty();
    }
    int maker = s.socket().uid().getAsInt();
    ProcessInfo parent = top.ancestors().get(0);
    boolean visible = s.holders().stream().anyMatch(h -> h.process().pid() == parent.pid());
    if (top.process().uid().getAsInt() == maker || visible || parent.pid() <= 1 || parent.uid().isEmpty()
        || parent.uid().getAsInt() != maker) {
      return Optional.empty();
    }
    return Optional.of(parent);
  }

  /** The other holders of the socket that descend from {@code top}, deepest first. */
  private static List<Long> workersBottomUp(SocketReport s, Holder top) {
    List<Holder> under = new ArrayList<>();
    for (Holder h : s.holders()) {
      if (h.depth() > 0 && h.ancestors().stream().anyMatch(a -> a.pid() == top.process().pid())) {
        under.add(h);
      }
    }
    under.sort((a, b) -> Integer.compare(b.depth(), a.depth()));
    List<Long> out = new ArrayList<>();
    for (Holder h : under) {
      out.add(h.process().pid());
    }
    return out;
  }

  /**
   * Parents first (so a supervisor cannot restart what follows), then each tree: its master, then what
   * is below it, deepest first.
   */
  private static List<KillTarget> orderForExecution(List<KillTarget> targets) {
    List<KillTarget> out = new ArrayList<>();
    for (KillTarget t : targets) {
      if (t.role().equals("parent")) {
        out.add(t);
      }
    }
    for (KillTarget t : targets) {
      if (!t.role().equals("parent")) {
        out.add(t);
      }
    }
    return out;
  }

  private KillTarget target(ProcessInfo p, String role, Optional<Long> inode, KillOptions options) {
    Optional<Instant> start = p.startTime().isPresent() ? p.startTime() : platform.control().startTime(p.pid());
    Optional<String> never = never(p);
    if (never.isPresent()) {
      return new KillTarget(p, role, start, inode, never, false);
    }
    Optional<String> guarded = needsForce(p);
    if (guarded.isPresent() && !options.force()) {
      return new KillTarget(p, role, start, inode, Optional.of(guarded.get() + "; add --force to end it anyway"), true);
    }
    return new KillTarget(p, role, start, inode, Optional.empty(), false);
  }

  /** Refusals that no flag lifts. */
  private Optional<String> never(ProcessInfo p) {
    long pid = p.pid();
    if (pid <= 1) {
      return Optional.of("PID " + pid + " is the init process (" + p.name() + "); ending it takes the whole system"
          + " (or container) down; stop the service that owns the port instead");
    }
    if (pid == 4 && platform.osName().startsWith("windows")) {
      return Optional.of("PID 4 is the Windows kernel (System); on ports 80 and 443 it is the HTTP driver (http.sys)"
          + " serving a Windows service; see 'netsh http show servicestate' and stop that service");
    }
    if (pid == platform.control().self()) {
      return Optional.of("it is portdoctor itself");
    }
    if (platform.control().selfAncestors().contains(pid)) {
      return Optional.of("it started portdoctor (the shell or CI runner it runs in)");
    }
    return Optional.empty();
  }

  /** Refusals that --force lifts. */
  private Optional<String> needsForce(ProcessInfo p) {
    String name = p.name().toLowerCase(Locale.ROOT);
    if (name.endsWith(".exe")) {
      name = name.substring(0, name.length() - 4);
    }
    if (CRITICAL.contains(name) || name.startsWith("systemd-")) {
      return Optional.of(p.name() + " is a critical system process");
    }
    // Another user's process is no reason to refuse: root may end it (a root master's workers run as
    // nobody or www-data), and for anyone else the kernel answers, with the DENIED that exit 3 reports.
    return Optional.empty();
  }

  // ---------------------------------------------------------------- execute

  /** Carries out a plan made by {@link #plan}; returns the plan's report when it was not PLANNED. */
  public KillReport execute(KillReport planned, KillOptions options) {
    if (planned.status() != Status.PLANNED) {
      return planned;
    }
    Run run = new Run(planned, options);
    long start = System.nanoTime();
    // 1. the masters (the top of each tree, and --parent): each stops its own workers
    List<KillTarget> masters = new ArrayList<>();
    for (KillTarget t : planned.plan()) {
      if (t.master().isEmpty() && run.polite(t)) {
        masters.add(t);
      }
    }
    waitForExit(masters, run.allNeedForce(masters) ? Duration.ZERO : options.timeout().dividedBy(2));
    // 2. whatever remains of each tree, deepest first, and what its master started meanwhile
    for (KillTarget t : run.members()) {
      Optional<String> why = run.masterRefused(t);
      if (why.isPresent()) {
        run.record(t, Result.SKIPPED, why.get());
      } else if (run.signalledMaster(t) && !platform.control().isAlive(t.pid())) {
        run.record(t, Result.STOPPED, "ended by its master, pid " + t.master().get() + ", after its SIG"
            + options.signal().toUpperCase(Locale.ROOT));
      } else {
        run.polite(t);
      }
    }
    Duration left = options.timeout().minusNanos(System.nanoTime() - start);
    waitForExit(run.signalled, run.allNeedForce(run.signalled) || left.isNegative() ? Duration.ZERO : left);
    // 3. the deadline: force the survivors, masters first (a master forced first starts no new workers)
    run.forceSurvivors();
    return verify(planned, run.ordered(), options, run.handedOn);
  }

  /** One execution of a plan: what was signalled, how it ended, in the order of the plan. */
  private final class Run {
    private final KillReport planned;
    private final KillOptions options;
    private final ProcessControl control = platform.control();
    private final Map<Long, KillOutcome> outcomes = new LinkedHashMap<>();
    private final List<KillTarget> signalled = new ArrayList<>();
    private final Set<Long> politeRefused = new java.util.HashSet<>();
    private final Set<Long> handedOn = new java.util.HashSet<>();
    /** Members that a master started after the plan (respawned workers), in the order they were found. */
    private final List<KillTarget> newcomers = new ArrayList<>();
    private final Set<Long> known = new java.util.HashSet<>();

    Run(KillReport planned, KillOptions options) {
      this.planned = planned;
      this.options = options;
      for (KillTarget t : planned.plan()) {
        known.add(t.pid());
      }
    }

    /** The members of every tree as planned, then those their masters started since. */
    List<KillTarget> members() {
      List<KillTarget> out = new ArrayList<>();
      for (KillTarget t : planned.plan()) {
        if (t.master().isPresent()) {
          out.add(t);
        }
      }
      for (KillTarget m : planned.plan()) {
        if (m.master().isEmpty() && !m.role().equals("parent") && signalledPid(m.pid())) {
          out.addAll(newMembers(m));
        }
      }
      return out;
    }

    /**
     * Processes under a live master that the plan does not know: workers it started after the plan.
     * With --tree every new descendant; without it, those that hold the port's socket.
     */
    private List<KillTarget> newMembers(KillTarget master) {
      if (!control.isAlive(master.pid()) || !sameProcess(master)) {
        return List.of();
      }
      List<Long> fresh = new ArrayList<>();
      for (long pid : control.descendantsBottomUp(master.pid())) {
        if (!known.contains(pid)) {
          fresh.add(pid);
        }
      }
      if (fresh.isEmpty()) {
        return List.of();
      }
      Set<Long> holding = new java.util.HashSet<>();
      if (master.inode().isPresent()) {
        for (SocketEntry e : platform.sockets().snapshot(new SocketQuery(EnumSet.of(planned.protocol()),
            PortSet.of(planned.port()), true, true))) {
          if (e.inode().isPresent() && e.inode().getAsLong() == master.inode().get()) {
            e.owners().forEach(o -> holding.add(o.pid()));
          }
        }
      }
      List<KillTarget> out = new ArrayList<>();
      for (long pid : fresh) {
        boolean holds = holding.contains(pid);
        if (!options.tree() && !holds) {
          continue;
        }
        Optional<ProcessInfo> info = platform.processes().info(pid);
        if (info.isEmpty()) {
          continue; // gone already
        }
        KillTarget t = target(info.get(), holds ? "holder" : "descendant", holds ? master.inode() : Optional.empty(),
            options).under(master.pid());
        known.add(pid);
        newcomers.add(t);
        out.add(t);
      }
      return out;
    }

    /** Sends the polite stop after the safety and identity checks; true when it was sent. */
    boolean polite(KillTarget t) {
      if (t.refusal().isPresent()) {
        record(t, Result.REFUSED, t.refusal().get());
        return false;
      }
      Optional<String> changed = identityChanged(t, planned);
      if (changed.isPresent()) {
        if (changed.get().equals(NO_LONGER_HOLDS)) {
          handedOn.add(t.pid());
        }
        record(t, changed.get().startsWith("exited") ? Result.GONE : Result.SKIPPED, changed.get());
        return false;
      }
      Sent sent = control.stop(t.pid(), options.signal());
      switch (sent.result()) {
        case SENT, NEEDS_FORCE -> {
          if (sent.result() == SignalResult.NEEDS_FORCE) {
            politeRefused.add(t.pid());
          }
          signalled.add(t);
          // told at once: if portdoctor is interrupted while it waits, the signal must not go unreported
          progress.accept(new KillOutcome(t.pid(), t.process().name(), t.role(), Result.SIGNALLED,
              sent.result() == SignalResult.SENT
                  ? "sent SIG" + options.signal().toUpperCase(Locale.ROOT) + "; waiting up to "
                      + seconds(options.timeout()) + " for it to exit"
                  : "cannot be stopped politely; about to force it"));
          return true;
        }
        case GONE -> record(t, Result.GONE, "exited before the signal");
        case DENIED -> record(t, Result.DENIED, "permission denied" + detail(sent) + owner(t));
        default -> record(t, Result.SURVIVED, "the stop failed" + detail(sent));
      }
      return false;
    }

    private String owner(KillTarget t) {
      Optional<String> me = control.currentUser();
      return t.process().user().isPresent() && me.isPresent() && !me.get().equals(t.process().user().get())
          ? " (it belongs to user " + t.process().user().get() + ", portdoctor runs as " + me.get() + ")" : "";
    }

    /** Why a tree member is left alone: the OS refused its master, so ending it would only be undone. */
    Optional<String> masterRefused(KillTarget t) {
      KillOutcome m = outcomes.get(t.master().orElse(-1L));
      if (m != null && (m.result() == Result.DENIED || m.result() == Result.REFUSED)) {
        return Optional.of("not signalled: its master, pid " + m.pid() + " (" + m.name() + "), could not be stopped");
      }
      return Optional.empty();
    }

    boolean signalledMaster(KillTarget t) {
      return t.master().isPresent() && signalledPid(t.master().get());
    }

    private boolean signalledPid(long pid) {
      for (KillTarget s : signalled) {
        if (s.pid() == pid) {
          return true;
        }
      }
      return false;
    }

    boolean allNeedForce(List<KillTarget> ts) {
      return !ts.isEmpty() && ts.stream().allMatch(t -> politeRefused.contains(t.pid()));
    }

    /** The forced stop for every signalled process still running: masters first, each with what it started since. */
    void forceSurvivors() {
      List<KillTarget> order = new ArrayList<>();
      for (KillTarget t : signalled) {
        if (t.master().isEmpty()) {
          order.add(t);
        }
      }
      for (KillTarget t : signalled) {
        if (t.master().isPresent()) {
          order.add(t);
        }
      }
      List<KillTarget> forced = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) {
        KillTarget t = order.get(i);
        if (!control.isAlive(t.pid())) {
          record(t, Result.STOPPED, "ended after SIG" + options.signal().toUpperCase(Locale.ROOT));
          continue;
        }
        if (!sameProcess(t)) {
          record(t, Result.STOPPED, "ended; its PID now belongs to another process, left alone");
          continue;
        }
        // what a master still running started since the plan is forced right after it
        List<KillTarget> late = t.master().isEmpty() && !t.role().equals("parent") ? newMembers(t) : List.of();
        if (force(t)) {
          forced.add(t);
        }
        for (KillTarget n : late) {
          if (n.refusal().isPresent()) {
            record(n, Result.REFUSED, n.refusal().get());
          } else if (force(n)) {
            forced.add(n);
          }
        }
      }
      Killer.this.waitForExit(forced, FORCE_WAIT);
      for (KillTarget t : forced) {
        boolean dead = !control.isAlive(t.pid());
        String how = politeRefused.contains(t.pid())
            ? "cannot be stopped politely (a console program); forced"
            : signalledPid(t.pid())
                ? "ignored the polite stop for " + seconds(options.timeout()) + "; forced"
                : "started by its master after the plan; forced with it";
        record(t, dead ? Result.FORCED : Result.SURVIVED, dead ? how : "still running after the forced stop");
      }
    }

    private boolean force(KillTarget t) {
      Sent sent = control.forceStop(t.pid());
      if (sent.result() == SignalResult.SENT) {
        progress.accept(new KillOutcome(t.pid(), t.process().name(), t.role(), Result.SIGNALLED,
            "sent SIGKILL; waiting up to " + seconds(FORCE_WAIT) + " for it to exit"));
        return true;
      }
      if (sent.result() == SignalResult.GONE) {
        record(t, Result.STOPPED, "ended after SIG" + options.signal().toUpperCase(Locale.ROOT));
      } else {
        record(t, sent.result() == SignalResult.DENIED ? Result.DENIED : Result.SURVIVED,
            "the forced stop failed" + detail(sent));
      }
      return false;
    }

    void record(KillTarget t, Result r, String detail) {
      Killer.this.record(outcomes, t, r, detail);
    }

    /** The outcomes in the plan's order, then those of processes found after the plan. */
    List<KillOutcome> ordered() {
      List<KillOutcome> out = new ArrayList<>();
      for (KillTarget t : planned.plan()) {
        KillOutcome o = outcomes.get(t.pid());
        if (o != null) {
          out.add(o);
        }
      }
      for (KillTarget t : newcomers) {
        KillOutcome o = outcomes.get(t.pid());
        if (o != null) {
          out.add(o);
        }
      }
      return out;
    }
  }

  private static String detail(Sent sent) {
    return sent.message().isBlank() ? "" : ": " + sent.message();
  }

  private void record(Map<Long, KillOutcome> outcomes, KillTarget t, Result r, String detail) {
    KillOutcome o = new KillOutcome(t.pid(), t.process().name(), t.role(), r, detail);
    outcomes.put(t.pid(), o);
    progress.accept(o);
  }

  /** Why the process must not be signalled now, if it changed since it was found. */
  private Optional<String> identityChanged(KillTarget t, KillReport planned) {
    ProcessControl control = platform.control();
    if (!control.isAlive(t.pid())) {
      return Optional.of("exited on its own before the signal");
    }
    if (!sameProcess(t)) {
      return Optional.of("PID " + t.pid() + " now belongs to another process (its start time changed); not signalled");
    }
    if (t.inode().isPresent()) {
      List<SocketEntry> now = platform.sockets().snapshot(new SocketQuery(
          EnumSet.of(planned.protocol()), PortSet.of(planned.port()), true, true));
      boolean holds = now.stream().anyMatch(s -> s.inode().isPresent() && s.inode().getAsLong() == t.inode().get()
          && s.owners().stream().anyMatch(o -> o.pid() == t.pid()));
      if (!holds) {
        return Optional.of(NO_LONGER_HOLDS);
      }
    }
    return Optional.empty();
  }

  private boolean sameProcess(KillTarget t) {
    if (t.startTime().isEmpty()) {
      return true; // nothing recorded to compare: the PID alone identifies it
    }
    Optional<Instant> now = platform.control().startTime(t.pid());
    return now.isEmpty() || now.get().equals(t.startTime().get());
  }

  private void waitForExit(List<KillTarget> targets, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean anyAlive = false;
      for (KillTarget t : targets) {
        if (platform.control().isAlive(t.pid())) {
          anyAlive = true;
          break;
        }
      }
      if (!anyAlive) {
        return;
      }
      sleep(POLL);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortDoctorException(130, "interrupted");
    }
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }

  // ---------------------------------------------------------------- verify

  /** @param handedOn holders left alone because the socket was no longer theirs when the signal was due */
  private KillReport verify(KillReport planned, List<KillOutcome> outcomes, KillOptions options, Set<Long> handedOn) {
    int port = planned.port();
    Protocol protocol = planned.protocol();
    Set<Long> ended = new java.util.HashSet<>();
    for (KillOutcome o : outcomes) {
      ended.add(o.pid());
    }
    // The kernel releases a port a moment after its last holder exits; when no process was signalled
    // (every one refused, denied or skipped) there is nothing to wait for: one trial bind says it.
    boolean signalled = outcomes.stream()
        .anyMatch(o -> o.result() == Result.STOPPED || o.result() == Result.FORCED || o.result() == Result.SURVIVED
            || o.result() == Result.GONE);
    Optional<ProbeResult> blocked = signalled ? waitUntilFree(port, protocol, FREE_WAIT) : blocked(port, protocol);
    if (blocked.isEmpty() && !options.grace().isZero()) {
      sleep(options.grace()); // a supervisor restarts within moments; watch for it before saying "free"
      blocked = blocked(port, protocol);
    }
    boolean free = blocked.isEmpty();
    Optional<Respawn> respawn = Optional.empty();
    Optional<ProcessInfo> stillExiting = Optional.empty();
    if (!free) {
      List<SocketReport> now = doctor.who(PortSet.of(port), EnumSet.of(protocol), false).get(0).sockets();
      for (SocketReport s : now) {
        for (Holder h : s.holders()) {
          if (h.depth() == 0 && !ended.contains(h.process().pid())) {
            respawn = Optional.of(respawn(h, port, handedOn));
            break;
          }
          if (h.depth() == 0 && stillExiting.isEmpty()) {
            stillExiting = Optional.of(h.process()); // one of ours, signalled, its descriptors not closed yet
          }
        }
        if (respawn.isPresent()) {
          break;
        }
      }
    }
    boolean denied = outcomes.stream().anyMatch(o -> o.result() == Result.DENIED);
    Status status = free ? Status.FREED : denied ? Status.DENIED : Status.STILL_BUSY;
    String message;
    if (free) {
      message = "port " + port + "/" + protocol.label() + " is free now (a trial bind succeeded)";
    } else if (respawn.isPresent() && from(respawn.get().holder(), handedOn).isPresent()) {
      Holder h = respawn.get().holder();
      ProcessInfo p = from(h, handedOn).get();
      message = "port " + port + " is still held by pid " + h.process().pid() + " (" + h.process().name() + "): pid "
          + p.pid() + " (" + p.name() + ") handed the socket on to it before the signal, and was left alone";
    } else if (respawn.isPresent()) {
      Holder h = respawn.get().holder();
      message = "port " + port + " was taken again by pid " + h.process().pid() + " (" + h.process().name() + ")"
          + parentText(h) + ": " + respawn.get().remedy();
    } else if (denied) {
      message = "port " + port + " is still held: permission denied for "
          + outcomes.stream().filter(o -> o.result() == Result.DENIED).map(o -> "pid " + o.pid())
              .reduce((a, b) -> a + ", " + b).orElse("") + "; retry as that user or with sudo";
    } else if (stillExiting.isPresent()) {
      long pid = stillExiting.get().pid();
      String name = outcomes.stream().filter(o -> o.pid() == pid).map(KillOutcome::name).findFirst()
          .orElse(stillExiting.get().name()); // as planned: a process that is exiting may no longer tell it
      message = "port " + port + " is still held by pid " + pid + " (" + name + "), which was signalled and"
          + " still holds its socket (it has not finished exiting); see: portdoctor who " + port;
    } else {
      ProbeResult b = blocked.get();
      message = "port " + port + " is still held after the kill: a trial bind on " + b.address() + " gives "
          + b.outcome().label()
          + b.message().map(m -> " (" + m + ")").orElse("") + " and no process is seen holding it; see: portdoctor who "
          + port;
    }
    return new KillReport(port, protocol, status, planned.holders(), planned.plan(), outcomes, Optional.of(free),
        respawn, message);
  }

  private static String parentText(Holder h) {
    if (h.ancestors().isEmpty()) {
      return "";
    }
    ProcessInfo p = h.ancestors().get(0);
    return ", started by pid " + p.pid() + " (" + p.name() + ")";
  }

  /** The ancestor of {@code h} that was planned as a holder and handed the socket on to it before the signal. */
  private static Optional<ProcessInfo> from(Holder h, Set<Long> handedOn) {
    return h.ancestors().stream().filter(a -> handedOn.contains(a.pid())).findFirst();
  }

  private Respawn respawn(Holder h, int port, Set<Long> handedOn) {
    Optional<ServiceUnit> unit = platform.processes().serviceUnit(h.process().pid());
    String remedy;
    if (from(h, handedOn).isPresent()) {
      // not a restart: the socket changed hands between the plan and the signal
      remedy = "it holds the socket now; end it with: portdoctor kill " + port;
    } else if (unit.isPresent()) {
      remedy = "it runs in the systemd unit " + unit.get().name() + ", which restarts it; stop the unit instead: "
          + unit.get().stopCommand();
    } else if (!h.ancestors().isEmpty() && h.ancestors().get(0).pid() > 1) {
      ProcessInfo p = h.ancestors().get(0);
      remedy = "its parent restarts it; stop the parent too: portdoctor kill " + port + " --parent (ends pid "
          + p.pid() + ", " + p.name() + "), or stop it the way it was started";
    } else {
      remedy = "something restarts it; find what started it: portdoctor who " + port;
    }
    return new Respawn(h, unit.map(ServiceUnit::name), remedy);
  }

  /** Empty once a trial bind works within the time; else the last bind that failed. */
  private Optional<ProbeResult> waitUntilFree(int port, Protocol protocol, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<ProbeResult> blocked = blocked(port, protocol);
      if (blocked.isEmpty() || System.nanoTime() > deadline) {
        return blocked;
      }
      sleep(POLL);
    }
  }

  /** The first trial bind that fails, the way servers bind; empty when the port is free. */
  private Optional<ProbeResult> blocked(int port, Protocol protocol) {
    boolean reuse = platform.facts().serversReuseAddress();
    for (String address : doctor.defaultAddresses()) {
      ProbeResult r = platform.probe().probe(protocol, address, port, reuse);
      if (r.outcome() != BindOutcome.FREE) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The exit-code order of statuses for several ports: the worst wins. */
  public static int severity(Status s) {
    return switch (s) {
      case FREED, PLANNED -> 0;
      case NOTHING_HELD -> 1;
      case DENIED -> 2;
      case STILL_BUSY -> 3;
    };
  }
}
