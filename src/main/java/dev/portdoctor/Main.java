package dev.portdoctor;

import dev.portdoctor.cli.Context;
import dev.portdoctor.cli.PortDoctorCli;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The only place that touches the process's streams and exits. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    dev.portdoctor.core.Timing.mark("main");
    Charset cs = consoleCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), cs), false);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), cs), true);
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, cs));
    int code = PortDoctorCli.runProcess(args, out, err, terminal(), in);
    out.flush();
    err.flush();
    dev.portdoctor.core.Timing.mark("exit");
    dev.portdoctor.core.Timing.report(err);
    System.exit(code);
  }

  private static Context.Terminal terminal() {
    boolean tty = isTerminal(System.console());
    String noColor = System.getenv("NO_COLOR");
    int width = 0;
    if (tty) {
      width = 160;
      String cols = System.getenv("COLUMNS");
      if (cols != null) {
        try {
          width = Math.max(40, Integer.parseInt(cols.trim()));
        } catch (NumberFormatException e) {
          // keep the default
        }
      }
    }
    return new Context.Terminal(tty, noColor != null && !noColor.isEmpty(), width, tty);
  }

  /**
   * True when stdin and stdout are a terminal. Up to Java 21 that is {@code System.console() != null};
   * from Java 22 the console exists even when output is piped, and {@code Console.isTerminal()} tells.
   */
  static boolean isTerminal(java.io.Console console) {
    if (console == null) {
      return false;
    }
    if (Runtime.version().feature() < 22) {
      return true; // Java 17 to 21: a console exists only on a terminal (no reflection, no exception)
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // Java 17 to 21: a console exists only on a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** UTF-8, unless the JVM knows the console wants another encoding (a Windows code page). */
  private static Charset consoleCharset() {
    String enc = System.getProperty("sun.stdout.encoding");
    if (enc != null) {
      try {
        return Charset.forName(enc);
      } catch (RuntimeException e) {
        return StandardCharsets.UTF_8;
      }
    }
    return StandardCharsets.UTF_8;
  }
}
