package dev.portdoctor.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.FakePlatform;
import dev.portdoctor.testkit.WithFacts;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FreeFinderTest {

  @Test
  void avoidsWellKnownAndEphemeralPortsByDefault() {
    Platform p = WithFacts.ephemeral(new FakePlatform().platform(), new PortRange(32768, 60999));
    FreeResult r = new FreeFinder(new PortDoctor(p)).find(
        new FreeFinder.Options(Protocol.TCP, List.of("0.0.0.0"), 200, Optional.empty()), new Random(1));
    assertEquals("1024-32767,61000-65535", r.searched());
    assertEquals(List.of(new FreeResult.Avoided(new PortRange(1, 1023), "well-known"),
        new FreeResult.Avoided(new PortRange(32768, 60999), "ephemeral")), r.avoided());
    assertEquals(200, r.ports().size());
    assertEquals(200, new HashSet<>(r.ports()).size(), "all different");
    for (int port : r.ports()) {
      assertTrue(port >= 1024 && (port < 32768 || port > 60999), "port " + port);
    }
    assertTrue(r.complete());
  }

  @Test
  void skipsPortsWhereTheTrialBindFails() {
    FakePlatform os = new FakePlatform().process(1, 0, "x", "root").listening(8000, 1).listening(8002, 1);
    FreeResult r = new FreeFinder(new PortDoctor(os.platform())).find(
        new FreeFinder.Options(Protocol.TCP, List.of("0.0.0.0"), 1, Optional.of(PortSet.parse(List.of("8000-8002")))),
        new Random(7));
    assertEquals(List.of(8001), r.ports());
    assertEquals("8000-8002", r.searched());
    assertEquals(List.of(), r.avoided(), "a range the user names is taken as it is");
  }

  @Test
  void aRangeWithNoFreePortIsIncomplete() {
    FakePlatform os = new FakePlatform().process(1, 0, "x", "root").listening(8000, 1).listening(8001, 1);
    FreeResult r = new FreeFinder(new PortDoctor(os.platform())).find(
        new FreeFinder.Options(Protocol.TCP, List.of("0.0.0.0"), 1, Optional.of(PortSet.parse(List.of("8000-8001")))),
        new Random(7));
    assertFalse(r.complete());
    assertEquals(List.of(), r.ports());
    assertEquals(2, r.tried());
  }

  @Test
  void randomOrderDependsOnlyOnTheRandom() {
    Platform p = new FakePlatform().platform();
    FreeFinder.Options o = new FreeFinder.Options(Protocol.TCP, List.of("0.0.0.0"), 5,
        Optional.of(PortSet.parse(List.of("8000-8999"))));
    assertEquals(new FreeFinder(new PortDoctor(p)).find(o, new Random(3)).ports(),
        new FreeFinder(new PortDoctor(p)).find(o, new Random(3)).ports());
  }
}
