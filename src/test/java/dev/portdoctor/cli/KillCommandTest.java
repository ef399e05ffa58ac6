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
import java.util.Set;
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
  void theHolderAtTheTopFirstThenItsTreeDeepestFirst() {
    FakePlatform os = new FakePlatform()
        .process(10, 1, "master", "root").process(11, 10, "worker", "root").process(12, 10, "helper", "root")
        .process(13, 12, "grandchild", "root")
        .listening(80, 10).listening(80, 11);
    Result noTree = kill(os, "kill", "80", "--yes", "--grace", "0", "--signal", "SIGINT");
    assertEquals(0, noTree.exit(), noTree::toString);
    assertEquals(List.of("INT 10", "INT 11"), os.signals, "the master, then the worker that outlived it");
    assertTrue(os.isAlive(12) && os.isAlive(13), "without --tree, other children live");

    FakePlatform os2 = new FakePlatform()
        .process(10, 1, "master", "root").process(12, 10, "helper", "root").process(13, 12, "grandchild", "root")
        .listening(80, 10);
    Result tree = kill(os2, "kill", "80", "--tree", "--yes", "--grace", "0");
    assertEquals(0, tree.exit(), tree::toString);
    assertEquals(List.of("TERM 10", "TERM 13", "TERM 12"), os2.signals, "the top, then what remains bottom-up");
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
  void rootEndsAnotherUsersProcessWithoutForce() {
    FakePlatform os = new FakePlatform().process(4242, 1, "postgres", "alice").listening(5432, 4242);
    Result r = kill(os, "kill", "5432", "--yes", "--grace", "0");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("TERM 4242"), os.signals);
    assertFalse(r.out().contains("--force"), r::toString);
  }

  @Test
  void forAnyoneElseTheKernelDecidesAndExit3Says() {
    FakePlatform os = new FakePlatform().caller("bob").process(4242, 1, "postgres", "alice").listening(5432, 4242);
    Result r = kill(os, "kill", "5432", "--yes", "--grace", "0");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.out().contains("permission denied") && r.out().contains("belongs to user alice"), r::toString);
    assertEquals(List.of(), os.signals, "the kernel refused: nothing was sent");
    assertTrue(os.isAlive(4242));
    // nothing was signalled, so nothing can be freeing the port: one trial bind, no polling for it
    assertEquals(1, os.probes.stream().filter(p -> p.endsWith(" 5432")).count(), os.probes::toString);
  }

  @Test
  void aCriticalProcessNeedsForce() {
    FakePlatform ssh = new FakePlatform().process(700, 1, "sshd", "root").listening(22, 700);
    Result s = kill(ssh, "kill", "22", "--yes");
    assertEquals(3, s.exit(), s::toString);
    assertTrue(s.out().contains("critical system process"), s::toString);
    assertEquals(List.of(), ssh.signals);
  }

  /** nginx, httpd, php-fpm: a root master and workers of an unprivileged user, all holding the socket. */
  private static FakePlatform rootMasterWithWorkers() {
    return new FakePlatform().process(100, 1, "nginx", "root").process(101, 100, "nginx", "nobody")
        .process(102, 100, "nginx", "nobody").listening(8080, 100).listening(8080, 101).listening(8080, 102)
        .master(100).respawnsWorkers(100);
  }

  @Test
  void aRootMasterIsAskedFirstAndStopsItsOwnWorkers() {
    FakePlatform os = rootMasterWithWorkers();
    Result r = kill(os, "kill", "8080", "--tree", "--yes", "--grace", "0", "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("TERM 100"), os.signals, "the workers were ended by their master, not signalled");
    Map<String, Object> port = JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
    List<Map<String, Object>> outcomes = JsonOut.list(port.get("outcomes"));
    assertEquals(100L, ((Number) outcomes.get(0).get("pid")).longValue(), "the master comes first");
    assertEquals(Set.of(101L, 102L), Set.of(((Number) outcomes.get(1).get("pid")).longValue(),
        ((Number) outcomes.get(2).get("pid")).longValue()));
    assertEquals(List.of("stopped", "stopped", "stopped"), outcomes.stream().map(o -> o.get("result")).toList());
    assertTrue(((String) outcomes.get(1).get("detail")).contains("ended by its master, pid 100"), outcomes::toString);
    assertFalse(os.isAlive(101) || os.isAlive(102));
  }

  @Test
  void aMasterThatIgnoresTheStopIsForcedFirstWithTheWorkersItRespawned() {
    FakePlatform os = rootMasterWithWorkers().ignoresTerm(100);
    Result r = kill(os, "kill", "8080", "--yes", "--timeout", "200ms", "--grace", "0", "--json");
    assertEquals(0, r.exit(), r::toString);
    // the workers' deaths made the master start 70000 and 70001; those are forced right after it
    assertEquals(List.of("TERM 100", "TERM 101", "TERM 102", "KILL 100", "KILL 70000", "KILL 70001"), os.signals);
    assertFalse(os.isAlive(70000) || os.isAlive(70001) || os.isAlive(100));
    Map<String, Object> port = JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
    List<Map<String, Object>> outcomes = JsonOut.list(port.get("outcomes"));
    assertEquals("forced", outcomes.get(0).get("result"), outcomes::toString);
    assertEquals(List.of(100L, 101L, 102L, 70000L, 70001L),
        outcomes.stream().map(o -> ((Number) o.get("pid")).longValue()).toList());
  }

  @Test
  void whenTheKernelRefusesTheMasterItsWorkersAreLeftAlone() {
    FakePlatform os = new FakePlatform().caller("www").process(100, 1, "httpd", "root")
        .process(101, 100, "httpd", "www").listening(80, 100).listening(80, 101).master(100).respawnsWorkers(100);
    Result r = kill(os, "kill", "80", "--yes", "--grace", "0");
    assertEquals(3, r.exit(), r::toString);
    assertEquals(List.of(), os.signals, "ending the worker alone would only make the master start another");
    assertTrue(r.out().contains("its master, pid 100 (httpd), could not be stopped"), r::toString);
  }

  /**
   * Seen by the workers' user, only the workers hold the socket (the master's descriptors are not
   * readable), but the kernel says root made it, and the workers' parent runs as root: that is the master.
   */
  private static FakePlatform masterHiddenFrom(String caller) {
    return new FakePlatform().caller(caller).process(100, 1, "nginx", "root").process(101, 100, "nginx", "nobody")
        .process(102, 100, "nginx", "nobody").withUids().listening(8080, 101).listening(8080, 102)
        .master(100).respawnsWorkers(100);
  }

  @Test
  void aMasterThatThisUserCannotSeeHoldingTheSocketIsPlannedFirst() {
    FakePlatform os = masterHiddenFrom("nobody");
    Result r = kill(os, "kill", "8080", "--yes", "--grace", "0", "--json");
    assertEquals(3, r.exit(), r::toString);
    assertEquals(List.of(), os.signals, "the kernel refused the master; its workers were left alone");
    Map<String, Object> port = JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
    Map<String, Object> first = JsonOut.list(port.get("plan")).get(0);
    assertEquals(100L, ((Number) first.get("pid")).longValue(), port::toString);
    assertEquals("master", first.get("role"));
    assertTrue(os.isAlive(101) && os.isAlive(102));

    FakePlatform asRoot = masterHiddenFrom("root");
    Result ok = kill(asRoot, "kill", "8080", "--yes", "--grace", "0");
    assertEquals(0, ok.exit(), ok::toString);
    assertEquals(List.of("TERM 100"), asRoot.signals, "the master stops its workers; none is respawned");
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
