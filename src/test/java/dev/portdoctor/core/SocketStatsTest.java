package dev.portdoctor.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.FakePlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SocketStatsTest {

  private static SocketEntry tcp(String local, int lport, String remote, int rport, SocketState st) {
    return new SocketEntry(Protocol.TCP, new Endpoint(local, lport), Optional.of(new Endpoint(remote, rport)), st,
        OptionalInt.of(0), OptionalLong.empty(), OwnerStatus.NONE, List.of());
  }

  /** SYNTHETIC: a client that used 60% of a small range towards one server, and a server closing first. */
  @Test
  void ephemeralExhaustionAndServerSideTimeWait() {
    List<SocketEntry> s = new ArrayList<>();
    for (int p = 40000; p < 40060; p++) {
      s.add(tcp("::ffff:10.0.0.5", p, "::ffff:10.0.0.9", 443, SocketState.ESTABLISHED));
    }
    for (int p = 50000; p < 50003; p++) {
      s.add(tcp("10.0.0.5", 8080, "10.0.0.7", p, SocketState.TIME_WAIT));
    }
    StatsReport r = new SocketStats(new FakePlatform().platform()).compute(s,
        Optional.of(new PortRange(40000, 40099, "ip_local_port_range")), Optional.of("2"),
        new StatsReport.Thresholds(3, 5, 50, 1000, 10));
    assertEquals(63, r.total());
    StatsReport.EndpointUse u = r.ephemeralUse().get(0);
    assertEquals("10.0.0.5", u.localAddress());
    assertEquals(new Endpoint("10.0.0.9", 443), u.remote());
    assertEquals(60.0, u.percent(), 0.001);
    StatsReport.Finding eph = r.findings().stream().filter(f -> f.kind().equals("ephemeral-ports")).findFirst().orElseThrow();
    assertTrue(eph.warning().contains("60%"), eph::toString);
    StatsReport.Finding tw = r.findings().stream().filter(f -> f.kind().equals("time-wait")).findFirst().orElseThrow();
    assertTrue(tw.warning().contains("server port 10.0.0.5:8080"), tw::toString);
    assertEquals("server", r.timeWaitGroups().get(0).side());
  }
}
