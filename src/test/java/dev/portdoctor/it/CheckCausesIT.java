package dev.portdoctor.it;

import static dev.portdoctor.testkit.JsonOut.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import dev.portdoctor.testkit.SocketHolderMain;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * check's causes, each made for real by the test on loopback: a listener in each address family
 * against the four probes, a port in the kernel's reserved list, a port in the ephemeral range, an
 * address that is not on the machine.
 */
@EnabledOnOs(OS.LINUX)
class CheckCausesIT {

  private static Map<String, Object> check(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "check";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--json";
    Result r = CliRunner.run(all);
    return list(JsonOut.parse(r.out()).get("ports")).get(0);
  }

  private static Map<String, String> outcomes(Map<String, Object> res) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (Map<String, Object> p : list(res.get("probes"))) {
      if (Boolean.TRUE.equals(p.get("reuseAddress"))) {
        m.put((String) p.get("address"), (String) p.get("outcome"));
      }
    }
    return m;
  }

  /** Listener address (Python, so that IPv6 sockets can be IPv6-only or dual-stack), expected probe outcomes, cause. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "dual-stack ::  | ::        | 0 | in-use in-use in-use in-use | listener",
    "IPv4 0.0.0.0   | 0.0.0.0   | 0 | in-use in-use in-use free   | family-clash",
    "127.0.0.1      | 127.0.0.1 | 0 | in-use in-use in-use free   | family-clash",
    "IPv6-only ::1  | ::1       | 1 | free in-use free in-use     | family-clash",
    "IPv6-only ::   | ::        | 1 | free in-use free in-use     | family-clash",
  })
  void eachFamilyAgainstEachProbe(String name, String address, int v6only, String expected, String cause) {
    String script = String.join("\n",
        "import socket, sys",
        "a = sys.argv[1]",
        "s = socket.socket(socket.AF_INET6 if ':' in a else socket.AF_INET)",
        "if ':' in a: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(sys.argv[2]))",
        "s.bind((a, 0)); s.listen(5)",
        "print('PORT', s.getsockname()[1]); print('READY', flush=True)",
        "sys.stdin.read()");
    try (PythonHelper h = PythonHelper.start(script, address, Integer.toString(v6only))) {
      Map<String, Object> res = check(h.value("PORT"));
      String[] e = expected.trim().split(" ");
      Map<String, String> got = outcomes(res);
      assertEquals(Map.of("0.0.0.0", e[0], "::", e[1], "127.0.0.1", e[2], "::1", e[3]), got, res::toString);
      assertEquals("in-use", res.get("verdict"));
      assertEquals(cause.trim(), res.get("cause"), res::toString);
      assertEquals(List.of(h.pid()), JsonOut.pids(list(res.get("sockets")).get(0)));
      if (cause.trim().equals("family-clash")) {
        assertTrue(((String) res.get("reason")).contains("it works"), res::toString);
        assertTrue(((String) res.get("remedy")).contains("a server that binds only"), res::toString);
      }
    }
  }

  @Test
  void addressNotOnThisMachine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned; binding it sends nothing anywhere
    Map<String, Object> res = check(Integer.toString(port), "--host", "192.0.2.1");
    assertEquals("not-bindable", res.get("verdict"));
    assertEquals("address-not-available", res.get("cause"));
    assertTrue(((String) res.get("reason")).contains("192.0.2.1 is not on any interface"), res::toString);
  }

  @Test
  void portInTheEphemeralRangeIsFreeWithAWarning() throws Exception {
    String[] range = read(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
    int lo = Integer.parseInt(range[0]);
    int hi = Integer.parseInt(range[1]);
    int port = -1;
    for (int p = (lo + hi) / 2; p < hi; p++) {
      try (ServerSocket s = new ServerSocket(p)) {
        port = p;
        break;
      } catch (java.io.IOException taken) {
        // try the next
      }
    }
    assumeTrue(port > 0, "no free port in the ephemeral range");
    Map<String, Object> res = check(Integer.toString(port));
    assertEquals("free", res.get("verdict"), res::toString);
    List<Map<String, Object>> warnings = list(res.get("warnings"));
    assertEquals("ephemeral-range", warnings.get(0).get("code"), res::toString);
  }

  /** The kernel's reserved list, set and restored by the test (root only). */
  @Test
  void portInTheReservedListIsNamed() throws Exception {
    assumeTrue(JarRunner.isRoot(), "writing net.ipv4.ip_local_reserved_ports needs root");
    Path reserved = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");
    assumeTrue(Files.isWritable(reserved), "the sysctl is read-only here");
    String before = read(reserved).trim();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try {
      write(reserved, before.isEmpty() ? Integer.toString(port) : before + "," + port);
      Map<String, Object> res = check(Integer.toString(port));
      assertEquals("free", res.get("verdict"), res::toString);
      Map<String, Object> w = list(res.get("warnings")).get(0);
      assertEquals("reserved-port", w.get("code"), res::toString);
      assertTrue(((String) w.get("message")).contains("ip_local_reserved_ports"), w::toString);
    } finally {
      write(reserved, before.isEmpty() ? "\n" : before);
    }
    assertEquals(before, read(reserved).trim());
  }

  @Test
  void whoSaysTheVerdictFirst() {
    try (ChildJvm child = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0")) {
      Result r = CliRunner.run("who", Integer.toString(child.port(0)));
      String first = r.out().lines().findFirst().orElse("");
      assertEquals("port " + child.port(0) + ": held by pid " + child.pid() + " (java)", first, r::toString);
      Map<String, Object> json = list(JsonOut.parse(CliRunner.run("who", Integer.toString(child.port(0)), "--json").out())
          .get("ports")).get(0);
      assertEquals("listener", json.get("cause"));
      assertTrue(((String) json.get("remedy")).contains("portdoctor kill " + child.port(0)), json::toString);
    }
  }

  /** sysctl files answer only a single read from offset 0 (see ProcFiles). */
  private static String read(Path p) throws Exception {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = new byte[65536];
      int n = in.read(b);
      return n <= 0 ? "" : new String(b, 0, n, StandardCharsets.US_ASCII);
    }
  }

  private static void write(Path p, String value) throws Exception {
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write(value.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
