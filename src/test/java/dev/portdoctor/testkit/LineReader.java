package dev.portdoctor.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The lines a running process prints, read on a thread of their own as they come, for a test that
 * waits for one line at a time (a long-running {@code watch}).
 */
public final class LineReader {
  private static final String END = "\u0000end";
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  public LineReader(InputStream in) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          queue.add(l);
        }
      } catch (IOException e) {
        // the process is gone
      }
      queue.add(END);
    }, "line-reader");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The next line that matches, within the time; the lines before it are kept ({@link #seen}). Fails
   * with every line read so far when none came.
   */
  public String await(Predicate<String> wanted, Duration within, String what) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String l = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      if (l == null || l.equals(END)) {
        throw new AssertionError("no line " + what + " within " + within + (l == null ? "" : " (the output ended)")
            + "; lines so far:\n" + String.join("\n", seen));
      }
      seen.add(l);
      if (wanted.test(l)) {
        return l;
      }
    }
  }

  /** Every line read so far. */
  public List<String> seen() {
    return List.copyOf(seen);
  }
}
