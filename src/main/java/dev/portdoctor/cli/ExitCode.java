package dev.portdoctor.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** One exit-code table for every command; it feeds {@code --help} and the README. */
public enum ExitCode {
  OK(0, "success: the port is free (check), a holder was found (who, list), the ports are ready (wait),"
      + " free ports were found (free)"),
  NO(1, "the negative answer: a port is not free (check), nothing holds it (who), nothing matches (list),"
      + " no free port in the range (free)"),
  USAGE(2, "usage error: bad port, option or address"),
  DENIED(3, "permission denied: not allowed to inspect or signal the owner"),
  STILL_BUSY(4, "the port is still held after kill"),
  TIMEOUT(5, "a deadline passed (wait)"),
  UNREACHABLE(6, "a host of --on or --hosts could not be asked: no connection, no answer in time, ssh would have"
      + " asked for a password, or its answer could not be read (the other hosts are still answered)"),
  INTERNAL(70, "internal error: the OS could not be read, or a bug (please report it with --stacktrace)"),
  INTERRUPTED(130, "interrupted (Ctrl-C)");

  private final int code;
  private final String description;

  ExitCode(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** For picocli's {@code exitCodeList}: code right-aligned, then the description. */
  static Map<String, String> helpList() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ExitCode e : values()) {
      // "%3d" without java.util.Formatter, whose first use costs a cold JVM ~10 ms on every run
      String code = Integer.toString(e.code);
      m.put("   ".substring(Math.min(3, code.length())) + code, e.description);
    }
    return m;
  }
}
