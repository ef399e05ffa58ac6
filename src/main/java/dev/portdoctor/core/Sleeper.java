package dev.portdoctor.core;

import java.time.Duration;

/**
 * Time for use cases that poll ({@code wait}): a monotonic clock and a sleep. Tests pass one that moves
 * its clock forward on each sleep instead of sleeping.
 */
public interface Sleeper {

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Sleeps for the duration; Ctrl-C or a test may interrupt it. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real clock and {@link Thread#sleep}. */
  Sleeper SYSTEM = new Sleeper() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      Thread.sleep(Math.max(0, duration.toMillis()));
    }
  };
}
