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
  private final Supplier<String> input;
  private final Environment environment;
  private PortDoctor doctor;

  /**
   * @param input reads one line of the user's answer (null at end of input)
   */
  public Context(PrintWriter out, PrintWriter err, Terminal terminal, Supplier<Platform> platform,
      Supplier<String> input) {
    this(out, err, terminal, platform, input, Environment.system());
  }

  /**
   * @param environment the clock, connector and randomness of {@code wait} and {@code free}
   */
  public Context(PrintWriter out, PrintWriter err, Terminal terminal, Supplier<Platform> platform,
      Supplier<String> input, Environment environment) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.platformSupplier = platform;
    this.input = input;
    this.environment = environment;
  }

  public Environment environment() {
    return environment;
  }

  /** One line typed by the user, or null. */
  public String readLine() {
    return input.get();
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

  /** A new platform, not the one {@link #doctor()} keeps: for a server that answers many calls. */
  public Platform newPlatform() {
    return platformSupplier.get();
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
   * @param interactive a person can answer a question (stdin and stdout are a terminal)
   */
  public record Terminal(boolean stdoutIsTerminal, boolean noColor, int width, boolean interactive) {
    public boolean color() {
      return stdoutIsTerminal && !noColor;
    }

    /** A pipe, as in tests and CI. */
    public static Terminal pipe() {
      return new Terminal(false, false, 0, false);
    }
  }
}
