package dev.portdoctor.junit;

import dev.portdoctor.api.Ports;
import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketQuery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide registry behind {@link FreePort}: picks a random port (by default 1024-65535 outside the
 * OS's ephemeral range), claims it in a set shared by all threads and test classes, confirms it with
 * portdoctor's trial bind on every address, and holds it with a bound listening socket until
 * {@link Reservation#release()}.
 *
 * <p>A port is handed out at most once per JVM, so parallel tests cannot get the same one even after an
 * earlier test has finished with it. While the reservation is held, other JVMs that pick ports by a trial
 * bind (another surefire fork, portdoctor itself) see it as in use and pass it by.
 *
 * <p>Releasing waits until the port is really free. Java opens sockets without close-on-exec, so a
 * process that any thread of this JVM starts at that moment (a test that runs {@code git}, a child JVM,
 * {@code ProcessBuilder} anywhere) is born holding a copy of the reservation's socket, until its
 * start-up closes the descriptors it inherited. A bind in that window fails with "Address already in
 * use" although this JVM has closed the socket. {@link Reservation#release()} therefore waits (up to
 * {@value #RELEASE_WAIT_MILLIS} ms) until no listener is left on the port: on Linux by reading the
 * kernel's socket table, which opens no socket and starts no process, elsewhere by a trial bind.
 */
public final class PortReservations {
  private static final int ATTEMPTS = 200;
  private static final int FIRST = 1024;
  static final long RELEASE_WAIT_MILLIS = 2000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static volatile Ports ports;

  private PortReservations() {}

  /** A port held by a bound socket until {@link #release()}. */
  public static final class Reservation implements AutoCloseable {
    private final int port;
    private final ServerSocket holder;

    Reservation(int port, ServerSocket holder) {
      this.port = port;
      this.holder = holder;
    }

    public int port() {
      return port;
    }

    public boolean isHeld() {
      return !holder.isClosed();
    }

    /**
     * Closes the holding socket (a listener that accepted nothing leaves no TIME_WAIT behind), then waits
     * until no process that this JVM started in the meantime still holds an inherited copy of it.
     */
    public void release() {
      if (holder.isClosed()) {
        return;
      }
      try {
        holder.close();
      } catch (IOException e) {
        // closing a listener that accepted nothing does not fail in practice; the port is free either way
      }
      awaitReleased(port);
    }

    @Override
    public void close() {
      release();
    }
  }

  /** Reserves a port from 1024-65535 outside the OS's ephemeral range. */
  public static Reservation reserve() {
    return reserve(0, 0);
  }

  /**
   * Reserves a port from {@code min..max} (inclusive); {@code 0, 0} for the default range.
   *
   * @throws IllegalArgumentException when the range is not within 1-65535
   * @throws IllegalStateException when no port of the range could be reserved
   */
  public static Reservation reserve(int min, int max) {
    boolean whole = min == 0 && max == 0;
    if (!whole && (min < 1 || max > 65535 || min > max)) {
      throw new IllegalArgumentException("@FreePort(min = " + min + ", max = " + max + "): expected 1 <= min <= max <= 65535");
    }
    Ports p = ports();
    int first = whole ? FIRST : min;
    int last = whole ? 65535 : max;
    Optional<PortRange> ephemeral = whole ? p.ephemeralRange() : Optional.empty();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int candidate = first + RANDOM.nextInt(last - first + 1);
      if (ephemeral.isPresent() && ephemeral.get().contains(candidate)) {
        continue;
      }
      // Claimed before the trial bind, so that this JVM never trial-binds a port one of its tests has:
      // that bind could make the test's own bind fail at that instant.
      if (!HANDED_OUT.add(candidate)) {
        continue;
      }
      try {
        p.freePorts(1, new PortRange(candidate, candidate)); // a trial bind on every address, without SO_REUSEADDR
      } catch (IllegalStateException inUse) {
        continue; // in use elsewhere: it stays claimed, and is not tried again
      }
      ServerSocket holder = null;
      try {
        holder = new ServerSocket();
        holder.setReuseAddress(false);
        holder.bind(new InetSocketAddress(candidate), 1); // the wildcard: blocks every other bind on the port
        return new Reservation(candidate, holder);
      } catch (IOException e) {
        closeQuietly(holder); // another process took it since the trial bind; try another
      }
    }
    throw new IllegalStateException("no port could be reserved in " + ATTEMPTS + " attempts in " + first + "-" + last
        + ephemeral.map(r -> " outside the ephemeral range " + r).orElse("") + " (" + HANDED_OUT.size()
        + " claimed in this JVM)");
  }

  /**
   * Waits until no TCP listener is left on {@code port}, or {@link #RELEASE_WAIT_MILLIS} have passed
   * (then the test's own bind reports who holds it, through {@link PortAssertions}).
   */
  static void awaitReleased(int port) {
    Ports p = ports();
    boolean linux = "linux".equals(p.doctor().platform().osName());
    long deadline = System.nanoTime() + RELEASE_WAIT_MILLIS * 1_000_000L;
    while (true) {
      boolean free;
      if (linux) {
        try {
          free = p.doctor().platform().sockets()
              .snapshot(new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.of(port), true, false))
              .isEmpty();
        } catch (PortDoctorException unreadable) {
          linux = false;
          continue;
        }
      } else {
        // a trial bind of the wildcard without SO_REUSEADDR, as the reservation held it; only "in use"
        // means an inherited copy is still open (a host without IPv6 answers "family not supported")
        free = p.doctor().platform().probe().probe(Protocol.TCP, "::", port, false).outcome() != BindOutcome.IN_USE;
      }
      if (free || System.nanoTime() - deadline > 0) {
        return;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** How many ports this JVM has handed out. */
  public static int handedOut() {
    return HANDED_OUT.size();
  }

  private static Ports ports() {
    Ports p = ports;
    if (p == null) {
      synchronized (PortReservations.class) {
        if (ports == null) {
          ports = Ports.local();
        }
        p = ports;
      }
    }
    return p;
  }

  private static void closeQuietly(ServerSocket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
