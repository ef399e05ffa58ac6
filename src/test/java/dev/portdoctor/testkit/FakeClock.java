package dev.portdoctor.testkit;

import dev.portdoctor.core.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A clock that never sleeps: each sleep moves it forward by the duration asked, runs what the test
 * scheduled for that sleep (a socket appears, a holder exits), or throws InterruptedException as Ctrl-C
 * would. Every look also costs {@code lookCost} of time, so the elapsed times are not all zero.
 */
public final class FakeClock implements Sleeper {
  private long now = 1_000_000_000L;
  private int sleeps;
  private final Map<Integer, Runnable> atSleep = new HashMap<>();
  private int interruptAt = -1;
  /** Every sleep asked for, in order. */
  public final List<Duration> slept = new ArrayList<>();

  /** Runs {@code action} during the {@code n}th sleep (1-based). */
  public FakeClock at(int n, Runnable action) {
    atSleep.put(n, action);
    return this;
  }

  /** The {@code n}th sleep is interrupted (1-based). */
  public FakeClock interruptAt(int n) {
    interruptAt = n;
    return this;
  }

  /** Moves the clock forward, as work that takes time would. */
  public void advance(Duration d) {
    now += d.toNanos();
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    sleeps++;
    slept.add(d);
    if (sleeps == interruptAt) {
      throw new InterruptedException("Ctrl-C (simulated)");
    }
    now += d.toNanos();
    Runnable r = atSleep.get(sleeps);
    if (r != null) {
      r.run();
    }
  }
}
