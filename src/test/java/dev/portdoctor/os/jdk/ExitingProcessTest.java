package dev.portdoctor.os.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.Pids;
import dev.portdoctor.testkit.PythonHelper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A process whose main thread has ended while another thread runs on: /proc/PID/stat says 'Z' (it is
 * the main thread's), yet the process holds its sockets. The same state, for a moment, is a JVM that
 * SIGKILL is tearing down thread by thread: kill must not take it for gone.
 */
@EnabledOnOs(OS.LINUX)
class ExitingProcessTest {
  private static final String MAIN_THREAD_EXITS = String.join("\n",
      "import ctypes, socket, sys, threading",
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()",
      "print('PORT', s.getsockname()[1], flush=True)",
      "print('READY', flush=True)",
      "threading.Thread(target=sys.stdin.read).start()",
      "ctypes.CDLL(None).pthread_exit(None)");

  private final JdkProcessControl control = new JdkProcessControl();

  @Test
  void aProcessWhoseMainThreadEndedIsAliveWhileAThreadRuns() throws Exception {
    try (PythonHelper p = PythonHelper.start(MAIN_THREAD_EXITS)) {
      p.value("PORT");
      long pid = p.pid();
      awaitMainThreadGone(pid);
      assertEquals('Z', state(pid), "the main thread has exited: /proc/" + pid + "/stat says zombie");
      assertTrue(control.isAlive(pid), "a thread still runs and holds the socket");

      p.process().getOutputStream().close(); // the reading thread returns: the process ends
      assertTrue(p.process().waitFor(10, TimeUnit.SECONDS));
      assertFalse(control.isAlive(pid));
    }
  }

  @Test
  void aZombieWithNoThreadLeftIsNotAlive() throws Exception {
    // python forks a child that exits at once and is not waited for: a plain zombie, one thread (PORT is its pid)
    String script = String.join("\n",
        "import os, sys",
        "pid = os.fork()",
        "if pid == 0: os._exit(0)",
        "print('PORT', pid, flush=True)",
        "print('READY', flush=True)",
        "sys.stdin.read()");
    try (PythonHelper p = PythonHelper.start(script)) {
      long child = Long.parseLong(p.value("PORT"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (state(child) != 'Z' && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals('Z', state(child));
      assertFalse(control.isAlive(child));
      assertFalse(Pids.alive(child));
    }
  }

  private static void awaitMainThreadGone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (state(pid) != 'Z' && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static char state(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return s.charAt(s.lastIndexOf(')') + 2);
    } catch (java.io.IOException e) {
      return '?';
    }
  }
}
