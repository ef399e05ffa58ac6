package dev.portdoctor.junit;

import dev.portdoctor.api.Ports;
import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.Holder;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.Verdict;
import java.net.BindException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Bind failures explained: when the code under test fails to bind a port, the test fails with
 * portdoctor's verdict (who holds the port: pid, name, user, command line; or why it cannot be bound:
 * privileged, address not available, TIME_WAIT) instead of a bare {@code Address already in use}.
 *
 * <pre>{@code
 * EchoServer server = PortAssertions.assertBinds(port, () -> EchoServer.start(port));
 * }</pre>
 *
 * The {@link BindException} may be anywhere in the cause chain (servers often wrap it); it becomes the
 * cause of the {@link AssertionError}. Any other exception passes through unchanged.
 */
public final class PortAssertions {
  private static final int MAX_COMMAND_LINE = 300;

  private PortAssertions() {}

  /** Runs {@code start}; a bind failure on {@code port} fails the test with portdoctor's verdict. */
  public static void assertBinds(int port, Executable start) {
    assertBinds(port, () -> {
      start.execute();
      return null;
    });
  }

  /** Runs {@code start} and returns what it returns (the started server); see {@link #assertBinds(int, Executable)}. */
  public static <T> T assertBinds(int port, ThrowingSupplier<T> start) {
    try {
      return start.get();
    } catch (Throwable t) {
      BindException bind = bindCause(t);
      if (bind == null) {
        throw PortAssertions.<RuntimeException>rethrow(t);
      }
      throw bindFailure(port, bind);
    }
  }

  /** The error {@link #assertBinds} throws for a {@link BindException} on {@code port}. */
  public static AssertionError bindFailure(int port, BindException cause) {
    return new AssertionError(explain(port, cause), cause);
  }

  /** portdoctor's verdict on a port that a server could not bind, one line per fact. */
  public static String explain(int port, BindException cause) {
    StringBuilder m = new StringBuilder("port ").append(port).append(" could not be bound (")
        .append(clean(String.valueOf(cause.getMessage()))).append(")");
    CheckResult r;
    try {
      r = Ports.local().check(port);
    } catch (PortDoctorException | IllegalArgumentException e) {
      return m.append(": portdoctor could not look at it: ").append(clean(String.valueOf(e.getMessage()))).toString();
    }
    if (r.verdict() == Verdict.FREE) {
      m.append(": portdoctor finds it free now (").append(clean(r.reason()))
          .append("); whatever held it has let go since (often a process that another thread started just"
              + " then: it inherits this JVM's open sockets until it closes them, so a test that closes a"
              + " server and binds its port again races with it), or the server bound an address portdoctor"
              + " does not try");
      return m.toString();
    }
    m.append(": ").append(r.verdict().label()).append(", ").append(clean(r.reason()));
    Set<Long> shown = new HashSet<>();
    for (SocketReport s : r.sockets()) {
      for (Holder h : s.holders()) {
        ProcessInfo p = h.process();
        if (shown.add(p.pid())) {
          m.append("\n  pid ").append(p.pid()).append(' ').append(clean(p.name()));
          p.user().ifPresent(u -> m.append(", user ").append(clean(u)));
          m.append(", ").append(s.socket().state().name()).append(' ').append(s.socket().local());
          p.commandLine().ifPresent(c -> m.append("\n    ").append(clean(shorten(c))));
        }
      }
      if (s.holders().isEmpty()) {
        s.note().ifPresent(n -> m.append("\n  ").append(s.socket().local()).append(": ").append(clean(n)));
      }
    }
    r.remedy().ifPresent(x -> m.append("\n  remedy: ").append(clean(x)));
    return m.toString();
  }

  private static BindException bindCause(Throwable t) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof BindException b) {
        return b;
      }
    }
    return null;
  }

  private static String shorten(String s) {
    return s.length() <= MAX_COMMAND_LINE ? s : s.substring(0, MAX_COMMAND_LINE) + "...";
  }

  /** Process names and command lines are untrusted: no control character reaches the test report. */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || Character.getType(cp) == Character.FORMAT) {
        b.append('?');
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
