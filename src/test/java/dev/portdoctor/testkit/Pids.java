package dev.portdoctor.testkit;

import java.time.Duration;

/**
 * Small process checks for live tests. Tests end only the processes they started, by PID, never by
 * name.
 */
public final class Pids {
  private Pids() {}

  /** True while the process exists and is not a zombie with no thread left (such a zombie has closed its sockets). */
  public static boolean alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      if (close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z') {
        return true;
      }
      // the main thread's 'Z' while other threads still run or exit: the sockets are still held
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status")).stream()
          .anyMatch(l -> l.startsWith("Threads:") && !l.substring(8).trim().equals("1"));
    } catch (java.io.IOException e) {
      return false;
    }
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
