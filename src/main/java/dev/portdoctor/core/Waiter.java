package dev.portdoctor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code wait} use case: look at the ports every interval until each one is listened on (or free),
 * or the deadline passes. Time comes from a {@link Sleeper}, so tests do not sleep.
 */
public final class Waiter {
  /** The longest a single connect may take, so one silent address cannot eat the whole deadline. */
  static final Duration MAX_CONNECT = Duration.ofSeconds(2);

  private final PortDoctor doctor;
  private final Connector connector;
  private final Sleeper sleeper;

  public Waiter(PortDoctor doctor, Connector connector, Sleeper sleeper) {
    this.doctor = doctor;
    this.connector = connector;
    this.sleeper = sleeper;
  }

  /** What to wait for. */
  public enum Condition {
    /** Something accepts connections on the port. */
    LISTENING("listening"),
    /** A server could bind the port. */
    FREE("free");

    private final String label;

    Condition(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * @param addresses {@code LISTENING}: IP literals to connect to, or empty to look for a LISTEN socket in
   *     the socket table; {@code FREE}: the addresses to trial-bind, or empty for the wildcards
   *     {@code check} binds
   */
  public record Options(Condition condition, Protocol protocol, List<String> addresses, Duration timeout,
      Duration interval) {
    public Options {
      addresses = List.copyOf(addresses);
      if (condition == Condition.LISTENING && protocol == Protocol.UDP && !addresses.isEmpty()) {
        throw PortDoctorException.usage("--udp with --host: UDP has no connection to wait for;"
            + " leave out --host to wait for the socket to appear in the socket table");
      }
    }
  }

  /** What a live display shows between looks: how long it has waited, and for which ports still. */
  public record Progress(Duration elapsed, Duration timeout, List<Integer> pending) {}

  /**
   * Waits. An interruption (Ctrl-C, a test) ends the wait with {@link WaitResult.Outcome#INTERRUPTED};
   * the interruption is consumed by that answer.
   */
  public WaitResult await(PortSet ports, Options options, Consumer<Progress> progress) {
    String method;
    List<String> addresses;
    if (options.condition() == Condition.FREE) {
      method = "bind";
      addresses = options.addresses().isEmpty() ? doctor.defaultAddresses() : options.addresses();
    } else {
      method = options.addresses().isEmpty() ? "table" : "connect";
      addresses = options.addresses();
    }
    long start = sleeper.nanoTime();
    long deadline = start + options.timeout().toNanos();
    Map<Integer, PortState> states = new LinkedHashMap<>();
    for (int port : ports.toList()) {
      states.put(port, new PortState(port));
    }
    int polls = 0;
    WaitResult.Outcome outcome;
    while (true) {
      polls++;
      List<PortState> pending = states.values().stream().filter(s -> !s.met).toList();
      switch (method) {
        case "table" -> lookAtTable(pending, options.protocol());
        case "connect" -> connectAll(pending, addresses, deadline);
        default -> bindAll(pending, options.protocol(), addresses);
      }
      long now = sleeper.nanoTime();
      for (PortState s : pending) {
        if (s.met) {
          s.metAfter = Duration.ofNanos(now - start);
        }
      }
      List<Integer> still = states.values().stream().filter(s -> !s.met).map(s -> s.port).toList();
      if (still.isEmpty()) {
        outcome = WaitResult.Outcome.MET;
        break;
      }
      if (now >= deadline) {
        outcome = WaitResult.Outcome.TIMEOUT;
        break;
      }
      progress.accept(new Progress(Duration.ofNanos(now - start), options.timeout(), still));
      try {
        sleeper.sleep(Duration.ofNanos(Math.min(options.interval().toNanos(), deadline - now)));
      } catch (InterruptedException e) {
        outcome = WaitResult.Outcome.INTERRUPTED;
        break;
      }
    }
    Duration elapsed = Duration.ofNanos(sleeper.nanoTime() - start);
    if (outcome == WaitResult.Outcome.TIMEOUT && options.condition() == Condition.FREE) {
      explainBusy(states, options.protocol(), addresses, elapsed);
      if (states.values().stream().allMatch(s -> s.met)) {
        outcome = WaitResult.Outcome.MET; // freed at the very last look
      }
    }
    List<WaitResult.PortStatus> out = new ArrayList<>();
    for (PortState s : states.values()) {
      out.add(new WaitResult.PortStatus(s.port, s.met, Optional.ofNullable(s.metAfter), Optional.ofNullable(s.answeredBy),
          s.attempts, s.probes, Optional.ofNullable(s.check), Optional.ofNullable(s.note)));
    }
    return new WaitResult(options.condition(), options.protocol(), method, addresses, outcome, options.timeout(),
        options.interval(), elapsed, polls, out);
  }

  private void lookAtTable(List<PortState> pending, Protocol protocol) {
    int[] arr = pending.stream().mapToInt(s -> s.port).toArray();
    List<SocketEntry> sockets = doctor.platform().sockets().snapshot(
        new SocketQuery(EnumSet.of(protocol), PortSet.of(arr), true, false));
    for (SocketEntry e : PortDoctor.sorted(sockets)) {
      for (PortState s : pending) {
        if (!s.met && e.local().port() == s.port && e.protocol() == protocol && e.state().isListening()) {
          s.met = true;
          s.answeredBy = e.local().address();
        }
      }
    }
  }

  private void connectAll(List<PortState> pending, List<String> addresses, long deadline) {
    for (PortState s : pending) {
      List<ConnectResult> attempts = new ArrayList<>();
      for (String address : addresses) {
        long left = Math.max(deadline - sleeper.nanoTime(), Duration.ofMillis(100).toNanos());
        Duration timeout = Duration.ofNanos(Math.min(left, MAX_CONNECT.toNanos()));
        ConnectResult r = connector.connect(address, s.port, timeout);
        attempts.add(r);
        if (r.outcome() == ConnectResult.Outcome.CONNECTED && !s.met) {
          s.met = true;
          s.answeredBy = address;
        }
      }
      s.attempts = attempts;
    }
  }

  private void bindAll(List<PortState> pending, Protocol protocol, List<String> addresses) {
    boolean reuse = doctor.platform().facts().serversReuseAddress();
    for (PortState s : pending) {
      List<ProbeResult> probes = new ArrayList<>();
      boolean free = true;
      for (String address : addresses) {
        ProbeResult r = doctor.platform().probe().probe(protocol, address, s.port, reuse);
        probes.add(r);
        free &= r.outcome() == BindOutcome.FREE;
      }
      s.probes = probes;
      s.met = free;
    }
  }

  /** After a timeout: who holds each port that is still in use, as {@code check} tells it. */
  private void explainBusy(Map<Integer, PortState> states, Protocol protocol, List<String> addresses, Duration elapsed) {
    List<PortState> busy = states.values().stream().filter(s -> !s.met).toList();
    try {
      List<CheckResult> checks = doctor.check(PortSet.of(busy.stream().mapToInt(s -> s.port).toArray()),
          new PortDoctor.CheckOptions(protocol, addresses, false));
      for (int i = 0; i < busy.size(); i++) {
        PortState s = busy.get(i);
        CheckResult c = checks.get(i);
        if (c.verdict() == Verdict.FREE) {
          s.met = true;
          s.metAfter = elapsed;
          s.probes = c.probes();
        } else {
          s.check = c;
        }
      }
    } catch (PortDoctorException e) {
      for (PortState s : busy) {
        s.note = e.getMessage();
      }
    }
  }

  private static final class PortState {
    final int port;
    boolean met;
    Duration metAfter;
    String answeredBy;
    List<ConnectResult> attempts = List.of();
    List<ProbeResult> probes = List.of();
    CheckResult check;
    String note;

    PortState(int port) {
      this.port = port;
    }
  }
}
