package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakePlatform;
import dev.portdoctor.testkit.JsonOut;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kill's plan and safety rules against an in-memory OS: what is signalled, what never is. */
class KillCommandTest {

  private static Result kill(FakePlatform os, String... args) {
    return CliRunner.run(os::platform, args);
  }

  @Test
  void endsTheHolderPolitelyAndVerifies() {
    FakePlatform os = new FakePlatform().process(4242, 100, "node", "root").process(100, 1, "bash", "root")
        .listening(8080, 4242);
    Result r = kill(os, "kill", "8080", "--yes", "--grace", "0", "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("TERM 4242"), os.signals);
    Map<String, Object> port = JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
    assertEquals("freed", port.get("status"));
    assertEquals(true, port.get("freeAfter"));
    assertEquals("stopped", JsonOut.list(port.get("outcomes")).get(0).get("result"));
  }

  @Test
  void forcesAHolderThatIgnoresTheSignalAndSaysSo() {
    FakePlatform os = new FakePlatform().process(4242, 1, "stubborn", "root").listening(8080, 4242).ignoresTerm(4242);
    Result r = kill(os, "kill", "8080", "--yes", "--timeout", "100ms", "--grace", "0");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("TERM 4242", "KILL 4242"), os.signals);
    assertTrue(r.out().contains("forced") && r.out().contains("ignored the polite stop for 100 ms"), r::toString);
  }

  @Test
  void treeGoesDeepestFirstAndSignalAndWorkersFollowTheHolder() {
    FakePlatform os = new FakePlatform()
        .process(10, 1, "master", "root").process(11, 10, "worker", "root").process(12, 10, "helper", "root")
        .process(13, 12, "grandchild", "root")
        .listening(80, 10).listening(80, 11);
    Result noTree = kill(os, "kill", "80", "--yes", "--grace", "0", "--signal", "SIGINT");
    assertEquals(0, noTree.exit(), noTree::toString);
    assertEquals(List.of("INT 11", "INT 10"), os.signals, "the worker holding the socket, then the master");
    assertTrue(os.isAlive(12) && os.isAlive(13), "without --tree, other children live");

    FakePlatform os2 = new FakePlatform()
        .process(10, 1, "master", "root").process(12, 10, "helper", "root").process(13, 12, "grandchild", "root")
        .listening(80, 10);
    Result tree = kill(os2, "kill", "80", "--tree", "--yes", "--grace", "0");
    assertEquals(0, tree.exit(), tree::toString);
    assertEquals(List.of("TERM 13", "TERM 12", "TERM 10"), os2.signals, "bottom-up");
  }

  @Test
  void dryRunEndsNothing() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(8080, 4242);
    Result r = kill(os, "kill", "8080", "--dry-run");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(), os.signals);
    assertTrue(r.out().contains("would end") && r.out().contains("pid 4242"), r::toString);
  }

  @Test
  void withoutTerminalOrYesItRefusesWithExit2() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(8080, 4242);
    Result r = kill(os, "kill", "8080");
    assertEquals(2, r.exit(), r::toString);
    assertEquals(List.of(), os.signals);
    assertTrue(r.err().contains("add --yes"), r::toString);
  }

  @Test
  void onATerminalItAsks() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(8080, 4242);
    Result no = CliRunner.run(os::platform, new Context.Terminal(true, true, 80, true), "n", "kill", "8080");
    assertEquals(1, no.exit(), no::toString);
    assertTrue(no.err().contains("End these processes? [y/N]"), no::toString);
    assertEquals(List.of(), os.signals);
    Result yes = CliRunner.run(os::platform, new Context.Terminal(true, true, 80, true), "y", "kill", "8080", "--grace", "0");
    assertEquals(0, yes.exit(), yes::toString);
    assertEquals(List.of("TERM 4242"), os.signals);
  }

  @Test
  void neverPidOne() {
    FakePlatform os = new FakePlatform().process(1, 0, "systemd", "root").listening(22, 1);
    Result r = kill(os, "kill", "22", "--yes", "--force", "--tree");
    assertEquals(3, r.exit(), r::toString);
    assertEquals(List.of(), os.signals);
    assertTrue(r.out().contains("init process"), r::toString);
  }

  @Test
  void neverItselfNorItsAncestors() {
    FakePlatform self = new FakePlatform().process(90000, 89999, "java", "root").listening(8080, 90000)
        .self(90000, 89999, 1);
    Result r = kill(self, "kill", "8080", "--yes", "--force");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("it is portdoctor itself"), r::toString);
    assertEquals(List.of(), self.signals);

    FakePlatform shell = new FakePlatform().process(89999, 1, "bash", "root").listening(8080, 89999)
        .self(90000, 89999, 1);
    Result s = kill(shell, "kill", "8080", "--yes", "--force");
    assertEquals(3, s.exit(), s::toString);
    assertTrue(s.out().contains("it started portdoctor"), s::toString);
    assertEquals(List.of(), shell.signals);

    // --parent would reach portdoctor's own shell: that one is left alone, the holder still ends
    FakePlatform child = new FakePlatform().process(4242, 89999, "node", "root").process(89999, 1, "bash", "root")
        .listening(8080, 4242).self(90000, 89999, 1);
    Result c = kill(child, "kill", "8080", "--yes", "--parent", "--grace", "0");
    assertEquals(0, c.exit(), c::toString);
    assertEquals(List.of("TERM 4242"), child.signals);
    assertTrue(c.out().contains("refused"), c::toString);
  }

  @Test
  void windowsSystemProcessIsExplained() {
    FakePlatform os = new FakePlatform().os("windows 11").process(4, 0, "System", "SYSTEM").listening(80, 4);
    Result r = kill(os, "kill", "80", "--yes", "--force");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("netsh http show servicestate"), r::toString);
    assertEquals(List.of(), os.signals);
  }

  @Test
  void anotherUsersOrACriticalProcessNeedsForce() {
    FakePlatform os = new FakePlatform().process(4242, 1, "postgres", "alice").listening(5432, 4242);
    Result r = kill(os, "kill", "5432", "--yes");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("belongs to user alice") && r.out().contains("--force"), r::toString);
    assertEquals(List.of(), os.signals);
    Result forced = kill(os, "kill", "5432", "--yes", "--force", "--grace", "0");
    assertEquals(0, forced.exit(), forced::toString);

    FakePlatform ssh = new FakePlatform().process(700, 1, "sshd", "root").listening(22, 700);
    Result s = kill(ssh, "kill", "22", "--yes");
    assertEquals(3, s.exit(), s::toString);
    assertTrue(s.out().contains("critical system process"), s::toString);
  }

  @Test
  void pidReuseBetweenPlanAndSignalSignalsNothing() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(8080, 4242).pidReusedAfterPlan(4242);
    Result r = kill(os, "kill", "8080", "--yes", "--grace", "0", "--json");
    assertEquals(List.of(), os.signals, "the start time changed: not the process that was found");
    Map<String, Object> port = JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
    Map<String, Object> outcome = JsonOut.list(port.get("outcomes")).get(0);
    assertEquals("skipped", outcome.get("result"));
    assertTrue(((String) outcome.get("detail")).contains("now belongs to another process"), outcome::toString);
    assertEquals(4, r.exit(), "the port is still held: " + r);
  }

  @Test
  void nothingHeldIsExit1() {
    Result r = kill(new FakePlatform(), "kill", "8080", "--yes");
    assertEquals(1, r.exit());
    assertTrue(r.out().contains("nothing holds it"), r::toString);
  }

  @Test
  void badOptionsAreUsageErrors() {
    FakePlatform os = new FakePlatform();
    for (String[] args : List.of(
        new String[] {"kill", "8080", "--signal", "BOGUS"},
        new String[] {"kill", "8080", "--timeout", "soon"},
        new String[] {"kill", "8080", "--grace", "-1s"})) {
      Result r = kill(os, args);
      assertEquals(2, r.exit(), r::toString);
      assertFalse(r.err().contains("\tat "), r::toString);
    }
  }
}
