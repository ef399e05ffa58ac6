package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code stats} on pile-ups this test makes on loopback: TIME_WAIT (short connections to its own server,
 * the client closing first, so the TIME_WAITs sit on the client's ephemeral ports and point at the
 * server) and CLOSE_WAIT (a python3 child accepts connections and never closes them while the test's
 * clients close theirs). Low thresholds keep it fast.
 */
@EnabledOnOs(OS.LINUX)
class StatsIT {
  private static final int TIME_WAITS = 30;
  private static final int CLOSE_WAITS = 12;

  private static final String NEVER_CLOSES = String.join("\n",
      "import socket, sys, threading",
      "s = socket.socket()",
      "s.bind(('127.0.0.1', 0))",
      "s.listen(64)",
      "held = []",
      "def loop():",
      "    while True:",
      "        c, _ = s.accept()",
      "        held.append(c)",
      "threading.Thread(target=loop, daemon=True).start()",
      "print('PORT', s.getsockname()[1], flush=True)",
      "print('READY', flush=True)",
      "sys.stdin.read()");

  @Test
  void namesTheTimeWaitPileUpAndTheProcessBehindCloseWait() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (ServerSocket server = new ServerSocket(0, 64, lo);
        PythonHelper leaker = PythonHelper.start(NEVER_CLOSES)) {
      AtomicInteger closed = new AtomicInteger();
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket c = server.accept(); InputStream in = c.getInputStream()) {
            while (in.read() >= 0) {
              // until the client's FIN
            }
            closed.incrementAndGet(); // then this side closes: the client's end goes to TIME_WAIT
          } catch (java.io.IOException e) {
            return;
          }
        }
      }, "stats-it-server");
      acceptor.setDaemon(true);
      acceptor.start();
      for (int i = 0; i < TIME_WAITS; i++) {
        try (Socket c = new Socket(lo, server.getLocalPort())) {
          c.getOutputStream().write('x');
        }
      }
      int leakPort = Integer.parseInt(leaker.value("PORT"));
      for (int i = 0; i < CLOSE_WAITS; i++) {
        try (Socket c = new Socket(lo, leakPort)) {
          c.getOutputStream().write('y');
        }
      }
      long deadline = System.currentTimeMillis() + 5000;
      while (closed.get() < TIME_WAITS && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }

      Map<String, Object> json = null;
      Result r = null;
      Optional<Map<String, Object>> cw = Optional.empty();
      while (System.currentTimeMillis() < deadline + 5000) {
        r = CliRunner.run("stats", "--json", "--threshold-time-wait", "20", "--threshold-close-wait", "5");
        json = JsonOut.parse(r.out());
        cw = JsonOut.list(json.get("findings")).stream()
            .filter(f -> f.get("kind").equals("close-wait") && f.get("pid") != null
                && ((Number) f.get("pid")).longValue() == leaker.pid()
                && ((Number) f.get("count")).intValue() >= CLOSE_WAITS)
            .findFirst();
        if (cw.isPresent()) {
          break;
        }
        Thread.sleep(100); // the child may not have accepted them all yet
      }
      Result last = r;
      assertTrue(cw.isPresent(), () -> "no close-wait finding for pid " + leaker.pid() + ": " + last);
      assertEquals(1, r.exit(), r::toString);
      assertTrue(((String) cw.get().get("remedy")).contains("close"), cw.get()::toString);
      List<Map<String, Object>> cwProcs = JsonOut.list(JsonOut.map(json.get("closeWait")).get("processes"));
      assertTrue(cwProcs.stream().anyMatch(p -> ((Number) p.get("pid")).longValue() == leaker.pid()), r::toString);

      Map<String, Object> tw = JsonOut.list(json.get("findings")).stream()
          .filter(f -> f.get("kind").equals("time-wait") && "127.0.0.1".equals(f.get("address"))
              && ((Number) f.get("port")).intValue() == server.getLocalPort())
          .findFirst().orElseThrow(() -> new AssertionError("no time-wait finding: " + last));
      assertTrue(((Number) tw.get("count")).intValue() >= TIME_WAITS, tw::toString);
      assertTrue(((String) tw.get("remedy")).contains("keep-alive"), tw::toString);

      Map<String, Object> range = JsonOut.map(json.get("ephemeralRange"));
      String[] sysctl = cat("/proc/sys/net/ipv4/ip_local_port_range").strip().split("\\s+");
      assertEquals(Integer.parseInt(sysctl[0]), ((Number) range.get("start")).intValue());
      assertEquals(Integer.parseInt(sysctl[1]), ((Number) range.get("end")).intValue());

      Result text = CliRunner.run("stats", "--threshold-time-wait", "20", "--threshold-close-wait", "5");
      assertEquals(1, text.exit(), text::toString);
      assertTrue(text.out().contains("pid " + leaker.pid() + " (python3) holds"), text::toString);
      assertTrue(text.out().contains("TIME_WAIT connections to 127.0.0.1:" + server.getLocalPort()), text::toString);
    }
  }

  /** Through cat: the JDK's Files.readString reads a /proc/sys file one byte first and gets only that byte. */
  private static String cat(String path) throws Exception {
    Process p = new ProcessBuilder("cat", path).start();
    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return s;
  }
}
