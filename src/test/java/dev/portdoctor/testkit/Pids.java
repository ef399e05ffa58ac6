package dev.portdoctor.testkit;

import dev.portdoctor.os.jdk.JdkProcessControl;
import java.time.Duration;

/**
 * Small process checks for live tests. Tests end only the processes they started, by PID, never by
 * name.
 */
public final class Pids {
  private static final JdkProcessControl CONTROL = new JdkProcessControl();

  private Pids() {}

  /**
   * True while the process exists and still holds its descriptors: the same check that kill uses
   * ({@link JdkProcessControl#isAlive}: a zombie counts only once no thread of it is left).
   */
  public static boolean alive(long pid) {
    return CONTROL.isAlive(pid);
  }

  /** Waits until the process is gone (or a zombie); true if it went within the time. */
  public static boolean awaitDeath(long pid, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (alive(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(20);
    }
    return true;
  }

  /** SIGKILL to a process this test started, by its PID; nothing if it is gone. */
  public static void endOurs(long pid) {
    if (pid > 1) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
