package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.ProcessControl.Sent;
import dev.portdoctor.core.ProcessControl.SignalResult;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.ReplayCommandRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The taskkill path of kill, on real taskkill answers (src/test/resources/fixtures/windows/, provenance
 * in the README there) replayed for the exact argument lists portdoctor runs.
 */
class WindowsProcessControlTest {
  private static final List<String> POLITE = List.of("taskkill", "/PID", "6020");
  private static final List<String> FORCE = List.of("taskkill", "/PID", "6020", "/F");

  /** The capture's PIDs differ from 6020; the classification does not depend on them. */
  private static String fixture(String name) {
    return Fixtures.ownText("windows/" + name);
  }

  @Test
  void politeThenForcedArgumentLists() {
    ReplayCommandRunner r = new ReplayCommandRunner()
        .answer(POLITE, 0, fixture("taskkill-sent-signal-en.txt"))
        .answer(FORCE, 0, fixture("taskkill-must-force-then-force-en.txt").lines()
            .filter(l -> l.startsWith("SUCCESS")).findFirst().orElseThrow());
    WindowsProcessControl c = new WindowsProcessControl(r);
    assertEquals(SignalResult.SENT, c.stop(6020, "TERM").result());
    assertEquals(SignalResult.SENT, c.forceStop(6020).result());
    assertEquals(List.of(POLITE, FORCE), r.calls);
  }

  @Test
  void accessDeniedNotFoundAndMustForce() {
    WindowsProcessControl denied = new WindowsProcessControl(
        new ReplayCommandRunner().answer(POLITE, 1, fixture("taskkill-access-denied-en.txt")));
    Sent d = denied.stop(6020, "TERM");
    assertEquals(SignalResult.DENIED, d.result());
    assertTrue(d.message().contains("Access is denied"), d::toString);

    WindowsProcessControl gone = new WindowsProcessControl(
        new ReplayCommandRunner().answer(POLITE, 128, fixture("taskkill-not-found-en.txt")));
    assertEquals(SignalResult.GONE, gone.stop(6020, "TERM").result());

    String mustForce = fixture("taskkill-must-force-en.txt");
    WindowsProcessControl console = new WindowsProcessControl(new ReplayCommandRunner().answer(POLITE, 128, mustForce));
    assertEquals(SignalResult.NEEDS_FORCE, console.stop(6020, "TERM").result());

    WindowsProcessControl zh = new WindowsProcessControl(
        new ReplayCommandRunner().answer(POLITE, 1, fixture("taskkill-access-denied-zh.txt")));
    assertEquals(SignalResult.DENIED, zh.stop(6020, "TERM").result());
  }

  @Test
  void killSignalIsTheForcedStopAndAHangIsAFailure() {
    ReplayCommandRunner r = new ReplayCommandRunner().hang(FORCE);
    Sent s = new WindowsProcessControl(r).stop(6020, "KILL");
    assertEquals(SignalResult.FAILED, s.result());
    assertTrue(s.message().contains("did not answer"), s::toString);
    assertEquals(List.of(FORCE), r.calls);
  }
}
