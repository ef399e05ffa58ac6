package dev.portdoctor.it;

import static dev.portdoctor.testkit.JsonOut.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * portdoctor run by an ordinary user (the test drops from root to nobody with setpriv): a port that
 * root holds is reported as held, owner hidden, never as free; a privileged port is explained.
 */
@EnabledOnOs(OS.LINUX)
class NonRootIT {
  @TempDir Path dir;

  @Test
  void rootsListenerIsHeldButHiddenNotFree() throws Exception {
    List<String> nobody = JarRunner.asNobody();
    Path jar = JarRunner.worldReadableJar(dir);
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(s.getLocalPort());

      Result who = JarRunner.run(nobody, jar, "who", port);
      assertEquals(0, who.exit(), who::toString);
      assertTrue(who.out().contains("held by a process of uid 0 that this user cannot inspect; run with sudo to see it"), who::toString);

      Result json = JarRunner.run(nobody, jar, "who", port, "--json");
      Map<String, Object> sock = JsonOut.sockets(JsonOut.parse(json.out())).get(0);
      assertEquals("hidden", sock.get("ownerStatus"));
      assertEquals(0, ((Number) sock.get("uid")).intValue());
      assertTrue(list(sock.get("processes")).isEmpty());

      Result check = JarRunner.run(nobody, jar, "check", port);
      assertEquals(1, check.exit(), check::toString);
      assertTrue(check.out().contains("IN USE"), check::toString);
      assertTrue(check.out().contains("uid 0"), check::toString);
      assertFalse(check.out().contains("held by held by"), check::toString);
      assertFalse(who.out().contains("held by held by"), who::toString);
      assertFalse(check.out().contains("FREE"), check::toString);

      Result listed = JarRunner.run(nobody, jar, "list", "--port", port);
      assertEquals(0, listed.exit(), listed::toString);
      assertTrue(listed.out().contains("hidden(uid 0)"), listed::toString);
    }
  }

  @Test
  void privilegedPortIsNotBindableForAnOrdinaryUser() throws Exception {
    List<String> nobody = JarRunner.asNobody();
    Path jar = JarRunner.worldReadableJar(dir);
    // read with one large read: a sysctl file answers a second read() with EOF (see ProcFiles)
    int start;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))) {
      byte[] b = new byte[64];
      int n = in.read(b);
      start = Integer.parseInt(new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII).trim());
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(start > 1, "every port is unprivileged on this machine (ip_unprivileged_port_start=" + start + ")");
    String port = Integer.toString(start - 1);

    Result r = JarRunner.run(nobody, jar, "check", port, "--json");
    assertEquals(1, r.exit(), r::toString);
    Map<String, Object> res = list(JsonOut.parse(r.out()).get("ports")).get(0);
    assertEquals("not-bindable", res.get("verdict"));
    assertEquals("privileged", res.get("cause"));
    assertTrue(((String) res.get("reason")).contains("ip_unprivileged_port_start"), res::toString);
    assertTrue(((String) res.get("remedy")).contains("setcap cap_net_bind_service=+ep"), res::toString);

    Result text = JarRunner.run(nobody, jar, "check", port);
    assertTrue(text.out().contains("NOT BINDABLE"), text::toString);
  }
}
