package dev.portdoctor.it;

import static dev.portdoctor.testkit.JsonOut.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A port that only TIME_WAIT connections use. The server side closes first, so the TIME_WAIT socket
 * sits on the server's port after the listener is gone, the case where a restarted server fails with
 * "Address already in use" unless it sets SO_REUSEADDR.
 */
@EnabledOnOs(OS.LINUX)
class TimeWaitIT {

  /**
   * @param serverReuse whether the server set SO_REUSEADDR (Java's default on Linux); its TIME_WAIT
   *     sockets inherit the flag, and Linux lets a later SO_REUSEADDR bind pass only those that have it
   */
  private static int portWithTimeWaitOnly(boolean serverReuse) throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(serverReuse);
      server.bind(new InetSocketAddress(lo, 0));
      int port = server.getLocalPort();
      try (Socket client = new Socket(lo, port); Socket accepted = server.accept()) {
        accepted.close(); // the server closes first: its end goes to TIME_WAIT
        InputStream in = client.getInputStream();
        assertEquals(-1, in.read(), "the client sees the server's FIN");
      }
      return port;
    }
  }

  @Test
  void freeForServersThatReuseTheAddressWithANoteAndBusyWhenStrict() throws Exception {
    int port = portWithTimeWaitOnly(true);
    String p = Integer.toString(port);

    Result who = CliRunner.run("who", p, "--all", "--json");
    assertEquals(0, who.exit(), who::toString);
    List<Map<String, Object>> socks = JsonOut.sockets(JsonOut.parse(who.out()));
    Map<String, Object> tw = socks.stream().filter(s -> s.get("state").equals("TIME_WAIT")).findFirst()
        .orElseThrow(() -> new AssertionError("no TIME_WAIT socket: " + who));
    assertEquals("none", tw.get("ownerStatus"));
    assertTrue(list(tw.get("processes")).isEmpty());
    assertTrue(((String) tw.get("note")).contains("TIME_WAIT"), tw::toString);
    assertEquals(1, CliRunner.run("who", p).exit(), "no listener: who without --all finds nobody");

    Result check = CliRunner.run("check", p, "--host", "127.0.0.1", "--json");
    assertEquals(0, check.exit(), check::toString);
    Map<String, Object> res = list(JsonOut.parse(check.out()).get("ports")).get(0);
    assertEquals("free", res.get("verdict"));
    assertEquals("time-wait", res.get("cause"));
    assertTrue(((Number) res.get("timeWait")).intValue() >= 1, res::toString);
    List<Map<String, Object>> probes = list(res.get("probes"));
    assertEquals(List.of(true, false), probes.stream().map(x -> x.get("reuseAddress")).toList());
    assertEquals(List.of("free", "in-use"), probes.stream().map(x -> x.get("outcome")).toList());

    Result text = CliRunner.run("check", p, "--host", "127.0.0.1");
    assertTrue(text.out().contains("FREE") && text.out().contains("TIME_WAIT"), text::toString);

    Result strict = CliRunner.run("check", p, "--host", "127.0.0.1", "--strict", "--json");
    assertEquals(1, strict.exit(), strict::toString);
    Map<String, Object> sres = list(JsonOut.parse(strict.out()).get("ports")).get(0);
    assertEquals("in-use", sres.get("verdict"));
    assertEquals("time-wait", sres.get("cause"));
    assertTrue(((String) sres.get("reason")).contains("TIME_WAIT"), sres::toString);
  }

  @Test
  void timeWaitOfAServerWithoutReuseBlocksEveryBind() throws Exception {
    int port = portWithTimeWaitOnly(false);
    Result check = CliRunner.run("check", Integer.toString(port), "--host", "127.0.0.1", "--json");
    assertEquals(1, check.exit(), check::toString);
    Map<String, Object> res = list(JsonOut.parse(check.out()).get("ports")).get(0);
    assertEquals("in-use", res.get("verdict"));
    assertEquals("time-wait", res.get("cause"));
    assertTrue(((String) res.get("reason")).contains("did not set SO_REUSEADDR"), res::toString);
    assertEquals(1, ((Number) res.get("timeWait")).intValue());
  }
}
