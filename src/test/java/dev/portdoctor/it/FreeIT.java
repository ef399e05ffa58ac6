package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.PortRange;
import dev.portdoctor.os.linux.LinuxSystemFacts;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** free on the real machine: what it prints can be bound, and a held range gives exit 1. */
@EnabledOnOs(OS.LINUX)
class FreeIT {

  @Test
  void thePortsItPrintsCanBeBoundAndAreOutsideTheEphemeralRange() throws Exception {
    PortRange ephemeral = new LinuxSystemFacts(Path.of("/proc")).ephemeralPortRange().orElseThrow();
    Result r = CliRunner.run("free", "--count", "3");
    assertEquals(0, r.exit(), r::toString);
    for (String line : r.out().trim().split("\n")) {
      int port = Integer.parseInt(line);
      assertTrue(port >= 1024 && !ephemeral.contains(port), port + " vs ephemeral " + ephemeral);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
      }
    }
  }

  @Test
  void udpOnAnAddress() throws Exception {
    Result r = CliRunner.run("free", "--udp", "--host", "127.0.0.1", "--json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> json = JsonOut.parse(r.out());
    assertEquals(List.of("127.0.0.1"), json.get("addresses"));
    int port = ((Number) ((List<?>) json.get("ports")).get(0)).intValue();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port))) {
      assertEquals(port, s.getLocalPort());
    }
  }

  @Test
  void aHeldRangeIsExit1() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(held.getLocalPort());
      Result r = CliRunner.run("free", "--range", port);
      assertEquals(1, r.exit(), r::toString);
      assertEquals("", r.out());
      assertTrue(r.err().startsWith("portdoctor: no free tcp port in " + port + ": a trial bind on 0.0.0.0"), r::toString);
    }
  }
}
