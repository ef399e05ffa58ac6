package dev.portdoctor.junit;

import dev.portdoctor.api.Ports;
import dev.portdoctor.core.PortRange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
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
 */
public final class PortReservations {
  private static final int ATTEMPTS = 200;
  private static final int FIRST = 1024;
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

    /** Closes the holding socket; a listener that accepted nothing leaves no TIME_WAIT behind. */
    public void release() {
      try {
        holder.close();
      } catch (IOException e) {
        // closing a listener that accepted nothing does not fail in practice; the port is free either way
      }
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
