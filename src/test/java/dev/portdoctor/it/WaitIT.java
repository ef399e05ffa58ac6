package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.SocketHolderMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** wait on real loopback sockets held by child JVMs that start or exit while it waits. */
@EnabledOnOs(OS.LINUX)
class WaitIT {

  /** A port that was free on {@code address} a moment ago. */
  private static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }

  private static CompletableFuture<Result> inBackground(String... args) {
    return CompletableFuture.supplyAsync(() -> CliRunner.run(args));
  }

  @Test
  void localhostWithAnIpv6OnlyListenerIsFoundOnItsIpv6Address() throws Exception {
    int port;
    try {
      port = freePort("::1");
    } catch (IOException e) {
      assumeTrue(false, "no IPv6 loopback here: " + e);
      return;
    }
    CompletableFuture<Result> waiting = inBackground("wait", Integer.toString(port), "--listening", "--host",
        "localhost", "--timeout", "60s", "--interval", "100ms", "--json");
    Thread.sleep(300);
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:[::1]:" + port)) {
      Result r = waiting.get(90, TimeUnit.SECONDS);
      assertEquals(0, r.exit(), r::toString);
      Map<String, Object> p = JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
      assertEquals("::1", p.get("answeredBy"), r::toString);
      assertTrue(((Number) p.get("metAfterMs")).longValue() > 0, "it did wait: " + r);
      Map<String, Object> v4 = JsonOut.list(p.get("attempts")).stream()
          .filter(a -> a.get("address").equals("127.0.0.1")).findFirst().orElseThrow();
      assertEquals("refused", v4.get("outcome"), "nothing listens on the IPv4 loopback: " + r);
    }
  }

  @Test
  void listeningFromTheSocketTable() throws Exception {
    int port = freePort("127.0.0.1");
    CompletableFuture<Result> waiting = inBackground("wait", Integer.toString(port), "--listening", "--timeout", "60s");
    Thread.sleep(300);
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:" + port)) {
      Result r = waiting.get(90, TimeUnit.SECONDS);
      assertEquals(0, r.exit(), r::toString);
      // a Java server on 127.0.0.1 is an IPv6 socket on ::ffff:127.0.0.1
      assertTrue(r.out().matches(port + "/tcp +LISTENING +after .*: a LISTEN socket on \\S*127\\.0\\.0\\.1\\]?:" + port + "\n"),
          r::toString);
      assertEquals("", r.err());
    }
  }

  @Test
  void freeOnceTheHolderExits() throws Exception {
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0", "exit-after=1500")) {
      int port = holder.port(0);
      Result r = CliRunner.run("wait", Integer.toString(port), "--free", "--timeout", "60s", "--json");
      assertEquals(0, r.exit(), r::toString);
      Map<String, Object> p = JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
      assertEquals(true, p.get("met"));
      assertTrue(((Number) p.get("metAfterMs")).longValue() >= 500, "the holder held it for a while: " + r);
      assertTrue(holder.process().waitFor(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void listeningTimeoutIsExit5AndSaysWhatIsMissing() throws Exception {
    int port = freePort("127.0.0.1");
    Result table = CliRunner.run("wait", Integer.toString(port), "--listening", "--timeout", "500ms");
    assertEquals(5, table.exit(), table::toString);
    assertTrue(table.out().matches(port + "/tcp +NOT LISTENING +after .*\n")
        && table.out().endsWith(": no LISTEN socket on the port\n"), table::toString);
    Result connect = CliRunner.run("wait", Integer.toString(port), "--listening", "--timeout", "500ms",
        "--host", "127.0.0.1");
    assertEquals(5, connect.exit(), connect::toString);
    assertTrue(connect.out().contains("127.0.0.1: refused (Connection refused)"), connect::toString);
  }

  @Test
  void freeTimeoutIsExit5AndNamesTheHolder() throws Exception {
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0")) {
      int port = holder.port(0);
      Result r = CliRunner.run("wait", Integer.toString(port), "--free", "--timeout", "700ms");
      assertEquals(5, r.exit(), r::toString);
      assertTrue(r.out().matches("(?s)" + port + "/tcp +IN USE +after .*"), r::toString);
      assertTrue(r.out().contains("held by pid " + holder.pid() + " (java)"), r::toString);
      assertTrue(r.out().contains("pid " + holder.pid() + "  java"), "the holder as 'who' shows it: " + r);
    }
  }

  /**
   * Ctrl-C: SIGINT to the real jar while it waits; it exits 130 with one line saying where it stopped. A
   * signal that lands during JVM start-up, before the wait began, also exits 130 but without the line:
   * then it tries again and gives the JVM longer.
   */
  @Test
  void ctrlCExits130Cleanly() throws Exception {
    Path jar = JarRunner.jar();
    String err = "";
    for (long settle : new long[] {1500, 4000, 10000}) {
      int port = freePort("127.0.0.1");
      Process p = new ProcessBuilder(List.of(dev.portdoctor.testkit.ChildJvm.javaBin(), "-jar", jar.toString(),
          "wait", Integer.toString(port), "--listening", "--timeout", "60s")).start();
      try {
        p.getOutputStream().close();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean handled = false;
        while (System.nanoTime() < deadline && p.isAlive() && !handled) {
          handled = signalBit(status, "SigCgt:");
          if (signalBit(status, "SigIgn:")) {
            assumeTrue(false, "SIGINT is ignored in this process tree (started in the background): cannot test Ctrl-C");
          }
          Thread.sleep(50);
        }
        assertTrue(handled, "the JVM never installed its SIGINT handler");
        Thread.sleep(settle); // from JVM start-up into the wait loop
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "still running after SIGINT");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(130, p.exitValue(), out + err);
        assertEquals("", out);
        if (!err.isEmpty()) {
          assertTrue(err.startsWith("portdoctor: interrupted")
              && err.endsWith("still waiting for port(s) " + port + " to be listened on\n"), err);
          return;
        }
      } finally {
        p.destroyForcibly();
      }
    }
    throw new AssertionError("never saw the interruption message on stderr: '" + err + "'");
  }

  /** Whether SIGINT (2) is in the mask of that line of /proc/PID/status. */
  private static boolean signalBit(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field)) {
          return (Long.parseUnsignedLong(line.substring(field.length()).trim(), 16) & 0x2) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }
}
