package dev.portdoctor.trust;

import static dev.portdoctor.testkit.JsonOut.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.Pids;
import dev.portdoctor.testkit.PythonHelper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * portdoctor without the rights to see or end root's processes (the test, as root, drops to user nobody
 * with setpriv): root's listener is reported held, by uid 0, never free; kill refuses with exit 3 and
 * signals nothing; and with /proc mounted hidepid=2 (in a mount namespace the test creates, so the
 * machine's /proc is untouched) who and check still say held, owner hidden.
 */
@EnabledOnOs(OS.LINUX)
class MissingRightsIT {
  /** A listener on loopback, run by root (this test's user); lives until stdin closes. */
  static final String LISTENER = String.join("\n",
      "import socket, sys",
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(8)",
      "print('PORT', s.getsockname()[1]); print('READY', flush=True)",
      "sys.stdin.read()");

  /** A fresh mount namespace with its own /proc, hidepid=2; then the rest of the command line. */
  static final List<String> HIDEPID = List.of("unshare", "--mount", "--propagation", "private", "--",
      "/bin/sh", "-c", "mount -t proc -o hidepid=2 proc /proc && exec \"$@\"", "sh");

  @TempDir Path dir;

  private static JarRunner.Invocation as(List<String> prefix) {
    return JarRunner.Invocation.plain().prefix(prefix).jvm("-XX:TieredStopAtLevel=1").timeout(Duration.ofSeconds(40));
  }

  private static Map<String, Object> onlySocket(Result r) {
    List<Map<String, Object>> socks = JsonOut.sockets(JsonOut.parse(r.out()));
    assertEquals(1, socks.size(), r::toString);
    return socks.get(0);
  }

  private static void assertHeldByHiddenRoot(Map<String, Object> sock, String what) {
    assertEquals("hidden", sock.get("ownerStatus"), what);
    assertEquals(0, ((Number) sock.get("uid")).intValue(), what);
    assertTrue(list(sock.get("processes")).isEmpty(), what);
    assertEquals("LISTEN", sock.get("state"), what);
  }

  @Test
  void nobodySeesRootsListenerAsHeldAndCannotKillIt() {
    List<String> nobody = JarRunner.asNobody();
    Path jar = JarRunner.worldReadableJar(dir);
    try (PythonHelper root = PythonHelper.startAlone(LISTENER)) {
      String port = root.value("PORT");

      Result listed = JarRunner.run(as(nobody), jar, "list", "--port", port, "--json");
      assertEquals(0, listed.exit(), listed::toString);
      List<Map<String, Object>> rows = list(JsonOut.parse(listed.out()).get("sockets"));
      assertEquals(1, rows.size(), listed::toString);
      assertHeldByHiddenRoot(rows.get(0), listed.toString());

      Result check = JarRunner.run(as(nobody), jar, "check", port, "--json");
      assertEquals(1, check.exit(), check::toString);
      Map<String, Object> res = list(JsonOut.parse(check.out()).get("ports")).get(0);
      assertEquals("in-use", res.get("verdict"), check::toString);
      assertHeldByHiddenRoot(list(res.get("sockets")).get(0), check.toString());

      for (String[] extra : new String[][] {{}, {"--force"}}) {
        List<String> args = new ArrayList<>(List.of("kill", port, "--yes", "--grace", "0"));
        args.addAll(List.of(extra));
        Result kill = JarRunner.run(as(nobody), jar, args.toArray(new String[0]));
        assertEquals(3, kill.exit(), kill::toString);
        assertTrue(kill.out().contains("held by a process of uid 0 that this user cannot inspect"), kill::toString);
        assertFalse(kill.out().contains("free now"), kill::toString);
        assertTrue(Pids.alive(root.pid()), "root's listener lives on after " + args);
      }
    }
  }

  @Test
  void withHidepidTheOwnerIsHiddenButThePortIsStillHeld() throws Exception {
    List<String> nobody = JarRunner.asNobody();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare (util-linux) is not installed");
    Path jar = JarRunner.worldReadableJar(dir);
    String hostProc = procMount();
    List<String> prefix = new ArrayList<>(HIDEPID);
    prefix.addAll(nobody);
    try (PythonHelper root = PythonHelper.startAlone(LISTENER)) {
      String port = root.value("PORT");
      // the recipe works here, and hides root's processes from nobody (else this test proves nothing)
      List<String> probe = new ArrayList<>(prefix);
      probe.addAll(List.of("/bin/sh", "-c", "test -d /proc/self && test ! -e /proc/" + root.pid()));
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String said = new String(p.getInputStream().readAllBytes()).strip();
      assumeTrue(p.waitFor() == 0, "cannot mount /proc with hidepid=2 in a private mount namespace here: "
          + (said.isEmpty() ? "exit " + p.exitValue() : said));

      Result who = JarRunner.run(as(prefix), jar, "who", port, "--json");
      assertEquals(0, who.exit(), who::toString);
      Map<String, Object> sock = onlySocket(who);
      assertHeldByHiddenRoot(sock, who.toString());
      assertEquals("hidden", list(JsonOut.parse(who.out()).get("ports")).get(0).get("cause"), who::toString);

      Result check = JarRunner.run(as(prefix), jar, "check", port);
      assertEquals(1, check.exit(), check::toString);
      assertTrue(check.out().contains("IN USE"), check::toString);
      assertTrue(check.out().contains("uid 0"), check::toString);
      assertFalse(check.out().contains("FREE"), check::toString);
    } finally {
      assertEquals(hostProc, procMount(), "this machine's /proc mount is unchanged");
    }
  }

  /** The mount options of this process's /proc. */
  private static String procMount() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.split(" ")[4].equals("/proc")).reduce((a, b) -> b).orElse("");
  }
}
