package dev.portdoctor.it;

import static dev.portdoctor.testkit.JsonOut.list;
import static dev.portdoctor.testkit.JsonOut.map;
import static dev.portdoctor.testkit.JsonOut.pids;
import static dev.portdoctor.testkit.JsonOut.sockets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.SocketHolderMain;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** who and check against real sockets on loopback, held by this JVM and by child JVMs it starts. */
@EnabledOnOs(OS.LINUX)
class WhoCheckIT {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void whoNamesThisJvmForItsOwnListener() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = s.getLocalPort();
      Result r = CliRunner.run("who", Integer.toString(port), "--json");
      assertEquals(0, r.exit(), r::toString);
      List<Map<String, Object>> sockets = sockets(JsonOut.parse(r.out()));
      assertEquals(1, sockets.size(), r::toString);
      Map<String, Object> sock = sockets.get(0);
      // the JDK opens IPv6 sockets, so the kernel shows this one as ::ffff:127.0.0.1 (as ss does)
      assertTrue(List.of("127.0.0.1", "::ffff:127.0.0.1").contains(sock.get("localAddress")), sock::toString);
      assertEquals("LISTEN", sock.get("state"));
      assertEquals("known", sock.get("ownerStatus"));
      assertEquals(List.of(SELF), pids(sock));
      Map<String, Object> proc = list(sock.get("processes")).get(0);
      assertEquals("java", proc.get("name"));
      assertTrue(((String) proc.get("commandLine")).contains("java"), proc::toString);
      assertTrue(proc.get("startTime") instanceof String, proc::toString);
      List<Map<String, Object>> chain = list(proc.get("ancestors"));
      assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), ((Number) chain.get(0).get("pid")).longValue());
      assertEquals(1L, ((Number) chain.get(chain.size() - 1).get("pid")).longValue(), "the chain ends at PID 1");
    }
  }

  @Test
  void childJvmOnDualStackWildcardIsFoundAndCheckSaysBusyThenFree() {
    int port;
    try (ChildJvm child = ChildJvm.start(SocketHolderMain.class, "tcp:[::]:0")) {
      port = child.port(0);
      Result who = CliRunner.run("who", Integer.toString(port), "--json");
      assertEquals(0, who.exit(), who::toString);
      Map<String, Object> sock = sockets(JsonOut.parse(who.out())).get(0);
      assertEquals("::", sock.get("localAddress"));
      assertEquals("ipv6", sock.get("family"));
      assertEquals(List.of(child.pid()), pids(sock));
      Map<String, Object> proc = list(sock.get("processes")).get(0);
      assertEquals(SELF, ((Number) proc.get("parentPid")).longValue());
      assertEquals(SELF, ((Number) list(proc.get("ancestors")).get(0).get("pid")).longValue());

      Result check = CliRunner.run("check", Integer.toString(port));
      assertEquals(1, check.exit(), check::toString);
      assertTrue(check.out().contains("IN USE"), check::toString);
      assertTrue(check.out().contains("pid " + child.pid()), check::toString);

      // the dual-stack listener blocks the IPv4 wildcard too
      Result v4 = CliRunner.run("check", Integer.toString(port), "--host", "0.0.0.0", "--json");
      assertEquals(1, v4.exit(), v4::toString);
      Map<String, Object> res = list(JsonOut.parse(v4.out()).get("ports")).get(0);
      assertEquals("in-use", res.get("verdict"));
      assertEquals("listener", res.get("cause"));
    }
    Result after = CliRunner.run("check", Integer.toString(port));
    assertEquals(0, after.exit(), after::toString);
    assertTrue(after.out().contains("FREE"), after::toString);
    Result whoAfter = CliRunner.run("who", Integer.toString(port));
    assertEquals(1, whoAfter.exit(), whoAfter::toString);
    assertTrue(whoAfter.out().contains("nothing holds it"), whoAfter::toString);
  }

  @Test
  void ipv6LoopbackListener() {
    try (ChildJvm child = ChildJvm.start(SocketHolderMain.class, "tcp:[::1]:0")) {
      String port = Integer.toString(child.port(0));
      Result who = CliRunner.run("who", port, "--json");
      assertEquals(0, who.exit(), who::toString);
      Map<String, Object> sock = sockets(JsonOut.parse(who.out())).get(0);
      assertEquals("::1", sock.get("localAddress"));
      assertEquals(List.of(child.pid()), pids(sock));

      assertEquals(1, CliRunner.run("check", port, "--host", "::1").exit());
      assertEquals(1, CliRunner.run("check", port, "--host", "[::1]").exit());
      // an IPv6-only loopback listener does not hold 127.0.0.1
      Result v4 = CliRunner.run("check", port, "--host", "127.0.0.1");
      assertEquals(0, v4.exit(), v4::toString);
    }
  }

  @Test
  void udpSocketInAChildJvm() {
    try (ChildJvm child = ChildJvm.start(SocketHolderMain.class, "udp:127.0.0.1:0")) {
      String port = Integer.toString(child.port(0));
      Result tcpOnly = CliRunner.run("who", port);
      assertEquals(1, tcpOnly.exit(), "TCP is the default: " + tcpOnly);

      Result who = CliRunner.run("who", port, "--udp", "--json");
      assertEquals(0, who.exit(), who::toString);
      Map<String, Object> sock = sockets(JsonOut.parse(who.out())).get(0);
      assertEquals("udp", sock.get("protocol"));
      assertEquals("UNCONN", sock.get("state"));
      assertEquals(List.of(child.pid()), pids(sock));

      Result check = CliRunner.run("check", port, "--udp");
      assertEquals(1, check.exit(), check::toString);
      assertTrue(check.out().contains(port + "/udp"), check::toString);
      assertEquals(0, CliRunner.run("check", port).exit(), "the TCP port of the same number is free");
    }
  }

  @Test
  void ownUdpSocketWithBothProtocols() throws Exception {
    try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
      Result r = CliRunner.run("list", "--tcp", "--udp", "--port", Integer.toString(d.getLocalPort()), "--json");
      assertEquals(0, r.exit(), r::toString);
      List<Map<String, Object>> socks = list(JsonOut.parse(r.out()).get("sockets"));
      assertEquals(1, socks.size());
      assertEquals(List.of(SELF), pids(socks.get(0)));
    }
  }

  @Test
  void listFiltersByPid() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Result r = CliRunner.run("list", "--pid", Long.toString(SELF), "--json");
      assertEquals(0, r.exit(), r::toString);
      List<Map<String, Object>> socks = list(JsonOut.parse(r.out()).get("sockets"));
      assertTrue(socks.stream().anyMatch(x -> ((Number) x.get("localPort")).intValue() == s.getLocalPort()), r::toString);
      assertTrue(socks.stream().allMatch(x -> pids(x).contains(SELF)), r::toString);
      Result table = CliRunner.run("list", "--port", Integer.toString(s.getLocalPort()));
      assertEquals(0, table.exit());
      String[] lines = table.out().split("\n");
      assertEquals(2, lines.length, table::toString);
      assertTrue(lines[0].startsWith("PROTO"), table::toString);
      assertTrue(lines[1].contains(":" + s.getLocalPort() + " ") && lines[1].contains(Long.toString(SELF)), table::toString);
    }
  }

  @Test
  void whoWithSeveralPortsAnswersEachAndExitsWithTheWorst() throws Exception {
    try (ServerSocket a = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        ServerSocket b = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String ports = a.getLocalPort() + "," + b.getLocalPort();
      Result both = CliRunner.run("who", ports, "--json");
      assertEquals(0, both.exit(), both::toString);
      assertEquals(2, list(JsonOut.parse(both.out()).get("ports")).size());
      int free;
      try (ServerSocket c = new ServerSocket(0)) {
        free = c.getLocalPort();
      }
      Result one = CliRunner.run("who", Integer.toString(a.getLocalPort()), Integer.toString(free));
      assertEquals(1, one.exit(), one::toString);
      assertTrue(one.out().contains("port " + free + ": nothing holds it"), one::toString);
      assertFalse(one.out().contains("port " + a.getLocalPort() + ": nothing"), one::toString);
    }
  }

  @Test
  void checkQuietPrintsNothing() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      Result r = CliRunner.run("check", Integer.toString(s.getLocalPort()), "--quiet");
      assertEquals(1, r.exit());
      assertEquals("", r.out());
      assertEquals("", r.err());
    }
  }

  @Test
  void checkJsonListsEveryProbe() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r = CliRunner.run("check", Integer.toString(port), "--json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> res = list(JsonOut.parse(r.out()).get("ports")).get(0);
    assertEquals("free", res.get("verdict"));
    assertEquals(null, res.get("cause"));
    List<Map<String, Object>> probes = list(res.get("probes"));
    assertTrue(probes.stream().anyMatch(p -> p.get("address").equals("0.0.0.0")), probes::toString);
    assertTrue(probes.stream().allMatch(p -> p.get("outcome").equals("free")), probes::toString);
    assertEquals(1, ((Number) map(JsonOut.parse(r.out())).get("schemaVersion")).intValue());
  }
}
