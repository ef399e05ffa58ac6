package dev.portdoctor.cli;

import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.render.Style;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * What a command runs with: the streams, the terminal, and the platform, created on first use so that
 * {@code --help} and usage errors never touch the OS.
 */
public final class Context {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Terminal terminal;
  private final Supplier<Platform> platformSupplier;
  private PortDoctor doctor;

  public Context(PrintWriter out, PrintWriter err, Terminal terminal, Supplier<Platform> platform) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.platformSupplier = platform;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Terminal terminal() {
    return terminal;
  }

  public PortDoctor doctor() {
    if (doctor == null) {
      doctor = new PortDoctor(platformSupplier.get());
    }
    return doctor;
  }

  public Style style() {
    return new Style(terminal.color());
  }

  /**
   * What portdoctor knows about where its output goes.
   *
   * @param stdoutIsTerminal output is seen by a person (colour allowed unless NO_COLOR)
   * @param noColor NO_COLOR is set (https://no-color.org)
   * @param width columns to cut long lines at; 0 when not a terminal
   */
  public record Terminal(boolean stdoutIsTerminal, boolean noColor, int width) {
    public boolean color() {
      return stdoutIsTerminal && !noColor;
    }

    /** A pipe, as in tests and CI. */
    public static Terminal pipe() {
      return new Terminal(false, false, 0);
    }
  }
}
