package dev.portdoctor.core;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's time goes: with {@code -Dportdoctor.timing} each mark records the wall clock (microseconds
 * since the epoch) at the end of a phase, and {@code Main} prints them on stderr at exit, one line each
 * ({@code portdoctor timing: MICROS PHASE}), to be read against the time the process was started
 * (docs/benchmark.md). Off, a mark is one branch on a constant: no clock is read, nothing is allocated.
 */
public final class Timing {
  private static final boolean ON = System.getProperty("portdoctor.timing") != null;
  private static final List<String> MARKS = ON ? new ArrayList<>() : null;

  private Timing() {}

  public static void mark(String phase) {
    if (ON) {
      java.time.Instant now = java.time.Instant.now();
      long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
      synchronized (MARKS) {
        MARKS.add(micros + " " + phase);
      }
    }
  }

  /** Prints the marks, if timing is on. */
  public static void report(PrintWriter err) {
    if (ON) {
      synchronized (MARKS) {
        for (String m : MARKS) {
          err.println("portdoctor timing: " + m);
        }
      }
      err.flush();
    }
  }
}
