package dev.portdoctor.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.core.KillOptions;
import dev.portdoctor.core.KillOutcome;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.Killer;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.os.Platforms;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.Pids;
import dev.portdoctor.testkit.PythonHelper;
import dev.portdoctor.testkit.RecordingControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The wrong process is never signalled: between {@link Killer#plan} and {@link Killer#execute} the
 * holder is replaced by another process with the same PID, exits on its own, or hands its socket to a
 * child. In each case no signal at all is sent (the process control records every one), the process
 * that now has the PID lives on, and the report says what happened.
 */
@EnabledOnOs(OS.LINUX)
class KillRaceIT {
  private static final KillOptions OPTIONS = new KillOptions(Set.of(Protocol.TCP), false, false, "TERM",
      Duration.ofSeconds(2), Duration.ZERO, false);

  /**
   * Listens on loopback. Commands on stdin: EXIT ends it; HANDOFF forks a child that keeps the
   * listening socket (and sleeps), then closes the parent's copy and prints CHILD pid.
   */
  static final String HOLDER = String.join("\n",
      "import os, socket, sys, time",
      "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "s.bind(('127.0.0.1', 0)); s.listen(8)",
      "print('PORT', s.getsockname()[1]); print('READY', flush=True)",
      "while True:",
      "    cmd = sys.stdin.readline().strip()",
      "    if cmd in ('', 'EXIT'):",
      "        os._exit(0)",
      "    if cmd == 'HANDOFF':",
      "        pid = os.fork()",
      "        if pid == 0:",
      "            try:",
      "                time.sleep(120)",
      "            finally:",
      "                os._exit(0)",
      "        s.close()",
      "        print('CHILD', pid, flush=True)");

  /**
   * On {@code SPAWN N}: writes N-1 to ns_last_pid and forks at once, so that the child (which becomes
   * {@code sleep 30}) gets PID N unless another process forked in between; prints SPAWNED pid.
   */
  static final String SPAWNER = String.join("\n",
      "import os, sys",
      "print('READY', flush=True)",
      "while True:",
      "    line = sys.stdin.readline()",
      "    if not line:",
      "        break",
      "    want = int(line.split()[1])",
      "    with open('/proc/sys/kernel/ns_last_pid', 'w') as f:",
      "        f.write(str(want - 1))",
      "    pid = os.fork()",
      "    if pid == 0:",
      "        try:",
      "            os.execv('/bin/sleep', ['sleep', '30'])",
      "        finally:",
      "            os._exit(127)",
      "    print('SPAWNED', pid, flush=True)");

  private final RecordingControl control = new RecordingControl(Platforms.detect("auto").control());
  private final List<KillOutcome> progress = new CopyOnWriteArrayList<>();
  private final Killer killer = new Killer(
      new PortDoctor(RecordingControl.around(Platforms.detect("auto"), control)), progress::add);

  private KillReport plan(PythonHelper holder) {
    KillReport plan = killer.plan(Integer.parseInt(holder.value("PORT")), Protocol.TCP, OPTIONS);
    assertEquals(KillReport.Status.PLANNED, plan.status(), plan::toString);
    assertEquals(List.of(holder.pid()), plan.plan().stream().map(t -> t.pid()).toList(), plan::toString);
    return plan;
  }

  private static KillOutcome only(KillReport r) {
    assertEquals(1, r.outcomes().size(), r::toString);
    return r.outcomes().get(0);
  }

  @Test
  void aReusedPidIsNotSignalled() {
    assumeTrue(JarRunner.isRoot(), "writing /proc/sys/kernel/ns_last_pid needs root");
    assumeTrue(Files.isWritable(Path.of("/proc/sys/kernel/ns_last_pid")), "no writable ns_last_pid on this kernel");
    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
      try (PythonHelper spawner = PythonHelper.start(SPAWNER)) {
        // ns_last_pid is the allocator's cursor, not a setting: nothing to restore. Other processes fork
        // too, so the new process may miss the PID: then the plan is dropped unused and we try again.
        for (int attempt = 1; attempt <= 8; attempt++) {
          long reused = -1;
          try (PythonHelper holder = PythonHelper.startAlone(HOLDER)) {
            KillReport plan = plan(holder);
            long pid = holder.pid();
            Pids.endOurs(pid);
            holder.process().waitFor(); // reaped: the PID is free again
            spawner.send("SPAWN " + pid);
            reused = Long.parseLong(spawner.await("SPAWNED"));
            if (reused != pid) {
              continue;
            }
            KillReport done = killer.execute(plan, OPTIONS);
            System.out.println("PID " + pid + " reused at attempt " + attempt + ": " + done.outcomes());

            assertEquals(List.of(), control.signals, "no signal may be sent: " + done);
            assertTrue(Pids.alive(pid), "the process that now has PID " + pid + " lives on");
            KillOutcome o = only(done);
            assertEquals(KillOutcome.Result.SKIPPED, o.result(), done::toString);
            assertTrue(o.detail().contains("now belongs to another process"), o::toString);
            return;
          } finally {
            Pids.endOurs(reused);
          }
        }
        assumeTrue(false, "another process took the PID each time (8 attempts); PID reuse not staged");
      }
    });
  }

  @Test
  void aHolderThatExitsBeforeTheSignalIsGoneAndNothingIsSignalled() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try (PythonHelper holder = PythonHelper.startAlone(HOLDER)) {
        KillReport plan = plan(holder);
        holder.send("EXIT");
        holder.process().waitFor();

        KillReport done = killer.execute(plan, OPTIONS);
        assertEquals(List.of(), control.signals, done::toString);
        KillOutcome o = only(done);
        assertEquals(KillOutcome.Result.GONE, o.result(), done::toString);
        assertTrue(o.detail().contains("exited on its own"), o::toString);
        assertEquals(KillReport.Status.FREED, done.status(), done::toString);
      }
    });
  }

  @Test
  void aHolderThatHandedItsSocketToAChildIsNotSignalledAndTheChildIsNamed() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      long child = -1;
      try (PythonHelper holder = PythonHelper.startAlone(HOLDER)) {
        KillReport plan = plan(holder);
        holder.send("HANDOFF");
        child = Long.parseLong(holder.await("CHILD"));

        KillReport done = killer.execute(plan, OPTIONS);
        assertEquals(List.of(), control.signals, done::toString);
        assertTrue(Pids.alive(holder.pid()), "the parent is not signalled");
        assertTrue(Pids.alive(child), "the child is not in the plan: it was not signalled either");
        KillOutcome o = only(done);
        assertEquals(KillOutcome.Result.SKIPPED, o.result(), done::toString);
        assertTrue(o.detail().contains("no longer holds the port"), o::toString);
        assertEquals(KillReport.Status.STILL_BUSY, done.status(), done::toString);
        KillReport.Respawn now = done.respawn().orElseThrow();
        assertEquals(child, now.holder().process().pid(), done::toString);
        assertEquals("port " + plan.port() + " is still held by pid " + child + " (python3): pid " + holder.pid()
            + " (python3) handed the socket on to it before the signal, and was left alone", done.message());
        assertEquals("it holds the socket now; end it with: portdoctor kill " + plan.port(), now.remedy());
      } finally {
        Pids.endOurs(child);
      }
    });
  }
}
