package dev.portdoctor.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.Pids;
import dev.portdoctor.testkit.PythonHelper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Ctrl-C (SIGINT, sent by the test to the jar by PID) while {@code kill} waits for a holder that
 * ignores SIGTERM: exit 130, and stderr says what was already done (the holder was sent SIGTERM and is
 * still running), so no half-done kill looks like nothing happened. The holder and the jar share a
 * network namespace the test creates: {@code kill PORT} ends whatever holds the port number on any
 * address, and there only the test's holder can.
 */
@EnabledOnOs(OS.LINUX)
class InterruptIT {
  /** Listens; on SIGTERM prints TERM and goes on (it ignores the polite stop); ends when stdin closes. */
  static final String STUBBORN = String.join("\n",
      "import signal, socket, subprocess, sys",
      "subprocess.run(['/usr/sbin/ip', 'link', 'set', 'lo', 'up'], check=True)",
      "signal.signal(signal.SIGTERM, lambda s, f: print('TERM', flush=True))",
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(8)",
      "print('PORT', s.getsockname()[1]); print('READY', flush=True)",
      "sys.stdin.read()");

  /**
   * Runs its arguments with SIGINT at its default action: a process started in the background by a
   * shell without job control inherits SIGINT ignored, and a JVM that starts so never sees Ctrl-C.
   */
  static final String DEFAULT_SIGINT =
      "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])";

  @Test
  void ctrlCDuringKillExits130AndSaysTheHolderWasSignalledAndStillRuns() {
    Path jar = JarRunner.jar();
    assumeTrue(JarRunner.isRoot(), "a network namespace of its own needs root");
    for (String tool : List.of("/usr/bin/unshare", "/usr/bin/nsenter", "/usr/sbin/ip")) {
      assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed");
    }
    assertTimeoutPreemptively(Duration.ofSeconds(45), () -> {
      try (PythonHelper holder = PythonHelper.startWith(List.of("/usr/bin/unshare", "--net", "--"), STUBBORN)) {
        JarRunner.Invocation inv = JarRunner.Invocation.plain().prefix(List.of(PythonHelper.python(), "-c",
            DEFAULT_SIGINT, "/usr/bin/nsenter", "--net=/proc/" + holder.pid() + "/ns/net", "--"));
        Process kill = inv.start(jar, "kill", holder.value("PORT"), "--yes", "--timeout", "30s", "--grace", "0");
        FutureTask<byte[]> out = JarRunner.drain(kill.getInputStream());
        FutureTask<byte[]> err = JarRunner.drain(kill.getErrorStream());
        try {
          holder.await("TERM"); // portdoctor sent SIGTERM and now waits up to 30 s
          long sent = System.nanoTime();
          Process ctrlC = new ProcessBuilder("kill", "-s", "INT", Long.toString(kill.pid())).start();
          assertEquals(0, ctrlC.waitFor(), "kill -s INT " + kill.pid());
          assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "portdoctor ends soon after Ctrl-C, not after --timeout");
          long ms = (System.nanoTime() - sent) / 1_000_000;
          String stdout = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
          String stderr = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
          System.out.println("exit " + kill.exitValue() + " " + ms + " ms after SIGINT\n" + stderr);

          assertEquals(130, kill.exitValue(), stderr);
          assertTrue(stderr.contains("portdoctor: interrupted; done so far:"), stderr);
          assertTrue(stderr.contains("pid " + holder.pid() + " (python3): signalled, sent SIGTERM"), stderr);
          assertTrue(stderr.contains("(still running)"), stderr);
          assertTrue(Pids.alive(holder.pid()), "it ignored SIGTERM and was not forced before Ctrl-C");
          assertFalse(stdout.contains("free now"), stdout);
        } finally {
          Pids.endOurs(kill.pid());
        }
      }
    });
  }

  // Ctrl-C during wait: it/WaitIT.ctrlCExits130Cleanly sends SIGINT to the real jar while it waits.
}
