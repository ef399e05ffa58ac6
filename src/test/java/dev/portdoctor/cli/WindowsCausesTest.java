package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakePlatform;
import dev.portdoctor.testkit.JsonOut;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Windows holders that are not the answer themselves: the kernel's HTTP driver and the WSL relay. */
class WindowsCausesTest {

  private static Map<String, Object> check(FakePlatform os, int port) {
    Platform p = os.os("windows 11").platform();
    Platform busy = new Platform(p.osName(), p.sockets(), p.processes(),
        (protocol, address, prt, reuse) -> new ProbeResult(protocol, address, prt, reuse, BindOutcome.IN_USE,
            Optional.of("Only one usage of each socket address (protocol/network address/port) is normally permitted")),
        p.facts(), p.control());
    Result r = CliRunner.run(() -> busy, "check", Integer.toString(port), "--json");
    assertEquals(1, r.exit(), r::toString);
    return JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
  }

  @Test
  void pid4IsTheHttpDriver() {
    Map<String, Object> res = check(new FakePlatform().process(4, 0, "System", "SYSTEM").listening(80, 4), 80);
    assertEquals("http-sys", res.get("cause"));
    assertTrue(((String) res.get("remedy")).contains("netsh http show servicestate"), res::toString);
  }

  @Test
  void wslRelayPointsInsideWsl() {
    Map<String, Object> res = check(new FakePlatform().process(7712, 1, "wslrelay.exe", "me").listening(3000, 7712), 3000);
    assertEquals("wsl-relay", res.get("cause"));
    assertTrue(((String) res.get("remedy")).contains("inside WSL"), res::toString);
  }
}
