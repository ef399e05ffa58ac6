package dev.portdoctor.api;

import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.FreeFinder;
import dev.portdoctor.core.FreeResult;
import dev.portdoctor.core.Holder;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.Sleeper;
import dev.portdoctor.core.Verdict;
import dev.portdoctor.core.WaitResult;
import dev.portdoctor.core.Waiter;
import dev.portdoctor.core.WhoResult;
import dev.portdoctor.os.Platforms;
import dev.portdoctor.os.jdk.SocketConnector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * portdoctor's core as a library: trial binds, free ports, the processes that hold a port, and waiting
 * for a port. Every answer comes from the running system (a real bind, the OS's socket table), never from
 * a guess.
 *
 * <pre>{@code
 * Ports ports = Ports.local();
 * int port = ports.freePort();                 // confirmed by a trial bind on every address
 * CheckResult r = ports.check(8080);           // FREE, IN_USE or NOT_BINDABLE, with the reason
 * List<ProcessInfo> who = ports.holders(8080); // pid, name, command line, user
 * ports.waitFor(port, Duration.ofSeconds(10)); // until something listens on it
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads. Process names and command lines are the
 * OS's raw, untrusted text; escape control characters before printing them to a terminal.
 */
public final class Ports {
  private final PortDoctor doctor;
  private final SecureRandom random = new SecureRandom();

  private Ports(Platform platform) {
    this.doctor = new PortDoctor(platform);
  }

  /** The running OS, with its default socket source (Linux: /proc; Windows and macOS: OSHI). */
  public static Ports local() {
    return new Ports(Platforms.detect("auto"));
  }

  /** A given platform: another socket source from {@link Platforms}, or a test double. */
  public static Ports of(Platform platform) {
    return new Ports(platform);
  }

  /** The use cases underneath, for what this facade does not cover (several ports, UDP, all states). */
  public PortDoctor doctor() {
    return doctor;
  }

  /**
   * The range the OS picks local ports of outgoing connections from (Linux: net.ipv4.ip_local_port_range),
   * when it can be read; a server port inside it can be taken by any connection at any time.
   */
  public Optional<PortRange> ephemeralRange() {
    return doctor.platform().facts().ephemeralPortRange();
  }

  /** True when a TCP server could bind the port now, on the wildcard and loopback addresses. */
  public boolean isFree(int port) {
    return check(port).verdict() == Verdict.FREE;
  }

  /**
   * The verdict of trial binds on the wildcard and loopback addresses (TCP), as {@code portdoctor check}
   * gives it: {@link CheckResult#verdict()}, a {@link CheckResult#reason()} one can act on, the
   * {@link CheckResult#sockets()} found on the port with their holders.
   *
   * @throws IllegalArgumentException when the port is not in 1-65535
   */
  public CheckResult check(int port) {
    return check(port, Protocol.TCP);
  }

  /** {@link #check(int)} for TCP or UDP. */
  public CheckResult check(int port, Protocol protocol) {
    requirePort(port);
    return doctor.check(PortSet.of(port), new PortDoctor.CheckOptions(protocol, doctor.defaultAddresses(), false))
        .get(0);
  }

  /**
   * One TCP port that binds on every address, picked at random from 1024-65535 outside the OS's
   * ephemeral range (so that outgoing connections do not take it meanwhile).
   *
   * @throws IllegalStateException when none is free
   */
  public int freePort() {
    return freePorts(1, Optional.empty()).get(0);
  }

  /**
   * {@code count} distinct TCP ports within {@code range} (inclusive), each confirmed by a trial bind on
   * every address, in random order.
   *
   * @throws IllegalStateException when fewer than {@code count} are free there
   */
  public List<Integer> freePorts(int count, PortRange range) {
    requirePort(range.first());
    requirePort(range.last());
    return freePorts(count, Optional.of(PortSet.of(IntStream.rangeClosed(range.first(), range.last()).toArray())));
  }

  private List<Integer> freePorts(int count, Optional<PortSet> candidates) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be 1 or more, not " + count);
    }
    FreeResult r = new FreeFinder(doctor).find(
        new FreeFinder.Options(Protocol.TCP, doctor.defaultAddresses(), count, candidates), random);
    if (!r.complete()) {
      throw new IllegalStateException("only " + r.ports().size() + " of " + count + " ports free in "
          + r.searched() + " (" + r.tried() + " tried)");
    }
    return r.ports();
  }

  /**
   * What holds the TCP port, as {@code portdoctor who} tells it: its listening sockets with their
   * holders, and a one-line verdict. Connections whose local port has the same number (an outgoing
   * connection of any process may use it) are left out; {@link #doctor()} gives them.
   *
   * @throws PortDoctorException when the socket table cannot be read here
   */
  public WhoResult who(int port) {
    requirePort(port);
    return doctor.who(PortSet.of(port), java.util.EnumSet.of(Protocol.TCP), false).get(0);
  }

  /**
   * The processes that hold the TCP port (pid, name, command line, user), each once, in the order
   * {@link #who(int)} lists them. Empty when nothing holds it, or when the holder is another user's
   * process that this one may not look into.
   */
  public List<ProcessInfo> holders(int port) {
    List<ProcessInfo> out = new ArrayList<>();
    for (SocketReport s : who(port).sockets()) {
      for (Holder h : s.holders()) {
        if (out.stream().noneMatch(p -> p.pid() == h.process().pid())) {
          out.add(h.process());
        }
      }
    }
    return out;
  }

  /**
   * Waits until something listens on the TCP port (a LISTEN socket in the socket table), looking every
   * 100 ms. {@link WaitResult#outcome()} says whether it came in time.
   */
  public WaitResult waitFor(int port, Duration timeout) {
    return await(port, Waiter.Condition.LISTENING, timeout);
  }

  /** Waits until a server could bind the TCP port (the holder has gone), looking every 100 ms. */
  public WaitResult waitUntilFree(int port, Duration timeout) {
    return await(port, Waiter.Condition.FREE, timeout);
  }

  private WaitResult await(int port, Waiter.Condition condition, Duration timeout) {
    requirePort(port);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout " + timeout);
    }
    Waiter w = new Waiter(doctor, new SocketConnector(), Sleeper.SYSTEM);
    return w.await(PortSet.of(port),
        new Waiter.Options(condition, Protocol.TCP, List.of(), timeout, Duration.ofMillis(100)), p -> {});
  }

  private static void requirePort(int port) {
    if (port < 1 || port > PortSet.MAX_PORT) {
      throw new IllegalArgumentException("not a port: " + port + " (expected 1-65535)");
    }
  }
}
