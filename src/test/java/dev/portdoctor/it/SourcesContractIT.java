package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.SocketHolderMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Every socket source of this OS through the same assertions (psutil's test_contracts): /proc, OSHI's
 * native table, ss and net-tools netstat all find the same listener and its PID.
 */
@EnabledOnOs(OS.LINUX)
class SourcesContractIT {

  @ParameterizedTest
  @ValueSource(strings = {"proc", "native", "ss", "netstat", "auto"})
  void everySourceFindsTheChildsListeners(String source) {
    if (source.equals("ss") || source.equals("netstat")) {
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/" + source)) || Files.isExecutable(Path.of("/bin/" + source)),
          source + " is not installed");
    }
    try (ChildJvm child = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0", "tcp:[::]:0", "udp:127.0.0.1:0")) {
      for (int i = 0; i < 2; i++) {
        Result r = CliRunner.run("who", Integer.toString(child.port(i)), "--source", source, "--json");
        assertEquals(0, r.exit(), r::toString);
        List<Map<String, Object>> socks = JsonOut.sockets(JsonOut.parse(r.out()));
        assertEquals(1, socks.size(), r::toString);
        assertEquals("LISTEN", socks.get(0).get("state"));
        assertEquals(List.of(child.pid()), JsonOut.pids(socks.get(0)), source + ": " + r);
        assertTrue(List.of("::", "::ffff:127.0.0.1", "127.0.0.1").contains(socks.get(0).get("localAddress")), r::toString);
      }
      Result udp = CliRunner.run("who", Integer.toString(child.port(2)), "--udp", "--source", source, "--json");
      assertEquals(0, udp.exit(), udp::toString);
      assertEquals(List.of(child.pid()), JsonOut.pids(JsonOut.sockets(JsonOut.parse(udp.out())).get(0)), udp::toString);
    }
  }
}
