package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import dev.portdoctor.testkit.SocketHolderMain;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** kill against real process trees that the test starts, on loopback. Only those processes are ended. */
@EnabledOnOs(OS.LINUX)
class KillIT {

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void awaitDeath(long pid) throws InterruptedException {
    for (int i = 0; i < 200 && alive(pid); i++) {
      Thread.sleep(25);
    }
  }

  /**
   * kill ends every holder of the port number, on any address: go ahead only when every socket on it
   * belongs to the processes this test started (another process may hold [::1]:P while ours holds
   * 127.0.0.1:P); otherwise the test is skipped rather than risk another process.
   */
  private static void onlyOurs(String port, java.util.Collection<Long> ours) {
    Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", port, "--json");
    List<Long> holders = JsonOut.list(JsonOut.parse(r.out()).get("sockets")).stream()
        .flatMap(s -> JsonOut.pids(s).stream()).toList();
    org.junit.jupiter.api.Assumptions.assumeTrue(ours.containsAll(holders),
        "port " + port + " is also used by processes this test did not start " + holders + ": not killing");
  }

  private static Map<String, Object> firstPort(Result r) {
    return JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
  }

  @Test
  void treeEndsTheHolderAndItsChildAndThePortIsFree() throws Exception {
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0", "child=idle")) {
      long grandchild = holder.childPid();
      assertTrue(alive(grandchild));
      String port = Integer.toString(holder.port(0));
      onlyOurs(port, List.of(holder.pid(), grandchild));
      Result r = CliRunner.run("kill", port, "--tree", "--yes", "--grace", "200ms", "--json");
      assertEquals(0, r.exit(), r::toString);
      Map<String, Object> res = firstPort(r);
      assertEquals("freed", res.get("status"));
      List<Long> ended = JsonOut.list(res.get("outcomes")).stream().map(o -> ((Number) o.get("pid")).longValue()).toList();
      assertEquals(List.of(holder.pid(), grandchild), ended, "the holder at the top first, then what remains");
      assertTrue(holder.process().waitFor(10, TimeUnit.SECONDS));
      awaitDeath(grandchild);
      assertFalse(alive(grandchild));
      assertEquals(0, CliRunner.run("check", port).exit());
    }
  }

  @Test
  void withoutTreeTheHoldersChildLivesOn() throws Exception {
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0", "child=idle")) {
      long grandchild = holder.childPid();
      onlyOurs(Integer.toString(holder.port(0)), List.of(holder.pid(), grandchild));
      Result r = CliRunner.run("kill", Integer.toString(holder.port(0)), "--yes", "--grace", "0");
      assertEquals(0, r.exit(), r::toString);
      assertTrue(holder.process().waitFor(10, TimeUnit.SECONDS));
      assertTrue(alive(grandchild), "the child that does not hold the port is not ended without --tree");
      ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly); // ours: clean up by PID
    }
  }

  @Test
  void aHolderThatIgnoresSigtermIsForced() throws Exception {
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0", "ignore-term")) {
      onlyOurs(Integer.toString(holder.port(0)), List.of(holder.pid()));
      Result r = CliRunner.run("kill", Integer.toString(holder.port(0)), "--yes", "--timeout", "700ms", "--grace", "0", "--json");
      assertEquals(0, r.exit(), r::toString);
      Map<String, Object> outcome = JsonOut.list(firstPort(r).get("outcomes")).get(0);
      assertEquals("forced", outcome.get("result"), r::toString);
      assertTrue(holder.process().waitFor(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void workersThatInheritedTheSocketKeepThePortUnlessAllHoldersEnd() throws Exception {
    // workers that outlive the master (the JDK closes a dead child's stdin, so they must not wait on it)
    String lingering = SharedSocketIT.PREFORK.replace("        sys.stdin.read()\n", "        __import__('time').sleep(120)\n");
    assertTrue(!lingering.equals(SharedSocketIT.PREFORK));
    List<Long> workers = List.of();
    try (PythonHelper server = PythonHelper.start(lingering)) {
      String port = server.value("PORT");
      workers = java.util.Arrays.stream(server.value("WORKERS").split(" ")).map(Long::parseLong).toList();
      // what a naive 'kill PID' does: the master ends, the workers keep the listening socket
      ProcessHandle.of(server.pid()).orElseThrow().destroyForcibly();
      assertTrue(server.pid() > 0);
      awaitDeath(server.pid());
      Result still = CliRunner.run("who", port, "--json");
      assertEquals(0, still.exit(), "the port is still held by the workers: " + still);
      assertEquals(workers.stream().sorted().toList(),
          JsonOut.pids(JsonOut.sockets(JsonOut.parse(still.out())).get(0)).stream().sorted().toList());

      onlyOurs(port, workers);
      Result r = CliRunner.run("kill", port, "--tree", "--yes", "--grace", "0");
      assertEquals(0, r.exit(), r::toString);
      for (long w : workers) {
        awaitDeath(w);
        assertFalse(alive(w));
      }
      assertEquals(0, CliRunner.run("check", port).exit());
    } finally {
      for (long w : workers) {
        ProcessHandle.of(w).ifPresent(ProcessHandle::destroyForcibly); // ours, by PID, if a check failed
      }
    }
  }

  /** A supervisor that starts its listener again each time it dies. */
  static final String RESPAWNER = String.join("\n",
      "import subprocess, sys, time, os, threading",
      "port = sys.argv[1]",
      "child = ['" + "PYTHON" + "', '-c', 'import socket,sys,time\\ns=socket.socket()\\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\\ns.bind((\"127.0.0.1\", int(sys.argv[1])))\\ns.listen(5)\\nprint(\"UP\", flush=True)\\ntime.sleep(600)', port]",
      "stop = False",
      "def watch():",
      "    sys.stdin.read(); os._exit(0)",
      "threading.Thread(target=watch, daemon=True).start()",
      "p = subprocess.Popen(child, stdout=subprocess.PIPE); p.stdout.readline()",
      "print('LISTENER', p.pid); print('READY', flush=True)",
      "while True:",
      "    p.wait()",
      "    p = subprocess.Popen(child, stdout=subprocess.PIPE); p.stdout.readline()");

  @Test
  void aRespawnIsReportedWithTheParentAndParentFreesThePort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String script = RESPAWNER.replace("PYTHON", PythonHelper.python());
    try (PythonHelper supervisor = PythonHelper.start(script, Integer.toString(port))) {
      long first = Long.parseLong(supervisor.value("LISTENER"));
      onlyOurs(Integer.toString(port), List.of(first));
      // a generous grace: under load the supervisor may take seconds to start the listener again
      Result r = CliRunner.run("kill", Integer.toString(port), "--yes", "--grace", "6s", "--json");
      assertEquals(4, r.exit(), r::toString);
      Map<String, Object> res = firstPort(r);
      assertEquals("still-busy", res.get("status"));
      Map<String, Object> respawn = JsonOut.map(res.get("respawn"));
      assertTrue(((Number) respawn.get("pid")).longValue() != first, respawn::toString);
      assertEquals(supervisor.pid(), ((Number) JsonOut.list(respawn.get("ancestors")).get(0).get("pid")).longValue());
      assertTrue(((String) respawn.get("remedy")).contains("--parent"), respawn::toString);
      assertTrue(((String) res.get("message")).contains("started by pid " + supervisor.pid()), res::toString);

      Result p = CliRunner.run("kill", Integer.toString(port), "--parent", "--yes", "--grace", "2s");
      assertEquals(0, p.exit(), p::toString);
      awaitDeath(supervisor.pid());
      assertFalse(alive(supervisor.pid()));
    }
  }

  @Test
  void refusesToEndPortdoctorItselfOrItsParent() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      String port = Integer.toString(s.getLocalPort());
      // in this JVM, the holder is portdoctor itself
      Result self = CliRunner.run("kill", port, "--yes", "--force");
      assertEquals(3, self.exit(), self::toString);
      assertTrue(self.out().contains("it is portdoctor itself"), self::toString);
      // run as a separate process, the holder (this JVM) is portdoctor's parent
      Result parent = JarRunner.run(List.of(), JarRunner.jar(), "kill", port, "--yes", "--force");
      assertEquals(3, parent.exit(), parent::toString);
      assertTrue(parent.out().contains("it started portdoctor"), parent::toString);
      assertFalse(s.isClosed());
    }
  }

  @Test
  void dryRunAndMissingYesEndNothing() throws Exception {
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0")) {
      String port = Integer.toString(holder.port(0));
      Result dry = CliRunner.run("kill", port, "--dry-run");
      assertEquals(0, dry.exit(), dry::toString);
      Result noYes = CliRunner.run("kill", port);
      assertEquals(2, noYes.exit(), noYes::toString);
      assertTrue(noYes.err().contains("--yes"), noYes::toString);
      assertTrue(holder.process().isAlive());
      assertEquals(1, CliRunner.run("check", port).exit());
    }
  }
}
