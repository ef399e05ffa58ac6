package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakeClock;
import dev.portdoctor.testkit.FakeConnector;
import dev.portdoctor.testkit.FakePlatform;
import dev.portdoctor.testkit.Golden;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.WithFacts;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JSON contract of docs/json.md, pinned by golden files made from an in-memory OS, a fake clock, a
 * scripted connector and a seeded random: every byte must stay the same unless the change is meant
 * ({@code -Dgolden.update=true} rewrites them).
 */
class GoldenJsonTest {

  /** A web server (pid 4242, under bash 100) holding 8080 with a forked worker (4300). */
  private static FakePlatform web() {
    return new FakePlatform()
        .process(1, 0, "systemd", "root").process(100, 1, "bash", "root").process(4242, 100, "node", "root")
        .process(4300, 4242, "node", "root")
        .listening(8080, 4242).listening(8080, 4300);
  }

  private static Environment env(FakeClock clock, FakeConnector net) {
    // the fake platform is not this host: its other network namespaces (a test run in its own, a
    // container beside it) must not reach the golden output
    return new Environment(clock, net, () -> new Random(42), platform -> 0, null);
  }

  private static Environment env() {
    return env(new FakeClock(), new FakeConnector());
  }

  private static void golden(String name, int exit, Result r) {
    assertEquals(exit, r.exit(), r::toString);
    JsonOut.parse(r.out()); // valid JSON, one object
    Golden.assertMatches(name + ".json", r.out());
  }

  // ---------------------------------------------------------------- check, who, list, kill

  @Test
  void checkFree() {
    golden("check-free", 0, CliRunner.run(web()::platform, env(), "check", "9090", "--json"));
  }

  @Test
  void checkInUse() {
    golden("check-in-use", 1, CliRunner.run(web()::platform, env(), "check", "8080", "--json"));
  }

  @Test
  void whoHeld() {
    golden("who-held", 0, CliRunner.run(web()::platform, env(), "who", "8080", "--json"));
  }

  @Test
  void whoNothing() {
    golden("who-nothing", 1, CliRunner.run(web()::platform, env(), "who", "9090", "--json"));
  }

  @Test
  void listTwoPorts() {
    FakePlatform os = web().process(700, 1, "sshd", "root").listening(22, 700);
    golden("list-two-ports", 0, CliRunner.run(os::platform, env(), "list", "--json"));
  }

  @Test
  void killFreed() {
    golden("kill-freed", 0, CliRunner.run(web()::platform, env(), "kill", "8080", "--yes", "--grace", "0", "--json"));
  }

  @Test
  void killDryRun() {
    golden("kill-dry-run", 0, CliRunner.run(web()::platform, env(), "kill", "8080", "--tree", "--dry-run", "--json"));
  }

  @Test
  void killDeniedOtherUser() {
    FakePlatform os = new FakePlatform().caller("bob").process(4242, 1, "postgres", "alice").listening(5432, 4242);
    golden("kill-denied", 3, CliRunner.run(os::platform, env(), "kill", "5432", "--yes", "--json"));
  }

  // ---------------------------------------------------------------- wait

  @Test
  void waitListeningFromTheTable() {
    FakePlatform os = new FakePlatform().process(4242, 1, "postgres", "root");
    FakeClock clock = new FakeClock().at(4, () -> os.listening(5432, 4242));
    golden("wait-listening-table", 0,
        CliRunner.run(os::platform, env(clock, new FakeConnector()), "wait", "5432", "--listening", "--json"));
  }

  @Test
  void waitListeningLocalhostAnsweredByIpv6Only() {
    FakeConnector net = new FakeConnector().acceptsFrom("::1", 3);
    golden("wait-listening-localhost", 0, CliRunner.run(new FakePlatform()::platform, env(new FakeClock(), net),
        "wait", "8080", "--listening", "--host", "localhost", "--interval", "1s", "--json"));
  }

  @Test
  void waitListeningTimeout() {
    golden("wait-listening-timeout", 5, CliRunner.run(new FakePlatform()::platform, env(),
        "wait", "5432", "--listening", "--timeout", "2s", "--interval", "500ms", "--json"));
  }

  @Test
  void waitFreeAfterTheHolderExits() {
    FakePlatform os = web();
    Platform p = os.platform();
    FakeClock clock = new FakeClock().at(2, () -> {
      p.control().forceStop(4300);
      p.control().forceStop(4242);
    });
    golden("wait-free", 0, CliRunner.run(() -> p, env(clock, new FakeConnector()), "wait", "8080", "--free", "--json"));
  }

  @Test
  void waitFreeTimeoutNamesTheHolder() {
    golden("wait-free-timeout", 5, CliRunner.run(web()::platform, env(),
        "wait", "8080", "8081", "--free", "--timeout", "1s", "--json"));
  }

  @Test
  void waitInterrupted() {
    golden("wait-interrupted", 130, CliRunner.run(new FakePlatform()::platform,
        env(new FakeClock().interruptAt(3), new FakeConnector()), "wait", "5432", "--listening", "--json"));
  }

  // ---------------------------------------------------------------- free

  @Test
  void freeDefaultAvoidsWellKnownAndEphemeral() {
    Platform p = WithFacts.ephemeral(web().platform(), new PortRange(32768, 60999));
    golden("free-default", 0, CliRunner.run(() -> p, env(), "free", "--json"));
  }

  @Test
  void freeCountInARange() {
    golden("free-range-count", 0, CliRunner.run(web()::platform, env(),
        "free", "--count", "3", "--range", "8079-8084", "--json"));
  }

  @Test
  void freeNoneInTheRange() {
    golden("free-none", 1, CliRunner.run(web()::platform, env(), "free", "--range", "8080", "--json"));
  }
}
