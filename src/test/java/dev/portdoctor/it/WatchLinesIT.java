package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.render.Text;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.LineReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code watch} piped, as a script runs it: the packaged jar follows two loopback ports; a listener this
 * test opens appears as one '+' line (or one JSON object, event added) naming this JVM, and as one '-'
 * line (event removed) once it is closed. The first port holds a listener from the start: its '+' line
 * says that watch has made its first look.
 */
@EnabledOnOs(OS.LINUX)
class WatchLinesIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long SELF = ProcessHandle.current().pid();

  /**
   * A port that no socket of this machine uses now, on any address, outside the ephemeral range (where
   * the port-0 binds and outgoing connections of other tests and benchmarks land: one of them could
   * take the same number on [::1] while this test watches it).
   */
  static int freePort() throws IOException {
    java.util.Random rnd = new java.util.Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = 20000 + rnd.nextInt(10000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        continue;
      }
      CliRunner.Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", Integer.toString(port), "--json");
      if (JsonOut.list(JsonOut.parse(r.out()).get("sockets")).isEmpty()) {
        return port;
      }
    }
    throw new IllegalStateException("no unused port found");
  }

  /** A listener of this JVM on 127.0.0.1 (Java binds it as the v4-mapped [::ffff:127.0.0.1]). */
  static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port == 0 ? freePort() : port));
    return s;
  }

  /** The line of a listener of this JVM on the port, as watch prints it. */
  private static String line(char sign, int port) {
    return java.util.regex.Pattern.quote(String.valueOf(sign)) + " tcp LISTEN (127\\.0\\.0\\.1|\\[::ffff:127\\.0\\.0\\.1\\]):" + port + " pid " + SELF + " java";
  }

  private static void assertPrintable(List<String> lines) {
    for (String l : lines) {
      for (char c : l.toCharArray()) {
        assertFalse(Text.needsEscape(c), () -> "raw control character in: " + l);
      }
    }
  }

  @Test
  void aListenerAppearsAsPlusAndGoesAsMinus() throws Exception {
    try (ServerSocket sentinel = listen(0)) {
      int port = freePort();
      int first = sentinel.getLocalPort();
      Process p = JarRunner.Invocation.plain().start(JarRunner.jar(), "watch", Integer.toString(first),
          Integer.toString(port), "--interval", "200ms", "--duration", "60s");
      try {
        LineReader out = new LineReader(p.getInputStream());
        String start = out.await(l -> l.contains(":" + first + " pid " + SELF + " "), WAIT, "for the first look");
        assertTrue(start.matches(line('+', first)), start);
        String opened;
        try (ServerSocket s = listen(port)) {
          opened = out.await(l -> l.contains(":" + port + " pid " + SELF + " "), WAIT, "for the listener this test opened");
        }
        assertTrue(opened.matches(line('+', port)), opened);
        String closed = out.await(l -> l.contains(":" + port + " pid " + SELF + " "), WAIT, "for the listener to go");
        assertTrue(closed.matches(line('-', port)), closed);
        assertEquals(3, out.seen().stream().filter(l -> l.contains(" pid " + SELF + " ")).count(),
            () -> "only the changes, one line each: " + out.seen());
        assertPrintable(out.seen());
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void jsonLinesOneObjectPerChange() throws Exception {
    try (ServerSocket sentinel = listen(0)) {
      int port = freePort();
      int first = sentinel.getLocalPort();
      Process p = JarRunner.Invocation.plain().start(JarRunner.jar(), "watch", first + "," + port, "--json",
          "--interval", "200ms", "--duration", "60s");
      try {
        LineReader out = new LineReader(p.getInputStream());
        String mine = "\"pid\":" + SELF + ",";
        out.await(l -> l.contains("\"localPort\":" + first + ",") && l.contains(mine), WAIT, "for the first look");
        Map<String, Object> added;
        try (ServerSocket s = listen(port)) {
          added = JsonOut.parse(out.await(l -> l.contains("\"localPort\":" + port + ",") && l.contains(mine), WAIT,
              "for the listener"));
        }
        Map<String, Object> removed = JsonOut.parse(out.await(l -> l.contains("\"localPort\":" + port + ",")
            && l.contains(mine), WAIT, "for the listener to go"));
        assertEquals("watch", added.get("command"));
        assertEquals(1, ((Number) added.get("schemaVersion")).intValue());
        assertEquals("added", added.get("event"));
        assertEquals("removed", removed.get("event"));
        for (Map<String, Object> e : List.of(added, removed)) {
          Map<String, Object> socket = JsonOut.map(e.get("socket"));
          assertEquals("LISTEN", socket.get("state"));
          assertTrue(List.of("127.0.0.1", "::ffff:127.0.0.1").contains(socket.get("localAddress")), socket::toString);
          assertEquals(List.of(SELF), JsonOut.pids(socket));
          assertTrue(((String) e.get("time")).endsWith("Z"), e::toString);
        }
        assertTrue(java.time.Instant.parse((String) added.get("time"))
            .isBefore(java.time.Instant.parse((String) removed.get("time"))));
        assertPrintable(out.seen());
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void countStopsItAndTheExitIsZero() throws Exception {
    try (ServerSocket sentinel = listen(0)) {
      var r = JarRunner.run(JarRunner.Invocation.plain().timeout(Duration.ofSeconds(60)), JarRunner.jar(), "watch",
          Integer.toString(sentinel.getLocalPort()), "--count", "3", "--interval", "100ms");
      assertEquals(0, r.exit(), r::toString);
      List<String> mine = r.out().lines().filter(l -> l.contains(" pid " + SELF + " ")).toList();
      assertEquals(1, mine.size(), r::toString);
      assertTrue(mine.get(0).matches(line('+', sentinel.getLocalPort())), r::toString);
      assertEquals("", r.err());
    }
  }
}
