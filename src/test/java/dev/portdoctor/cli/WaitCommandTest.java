package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakeClock;
import dev.portdoctor.testkit.FakeConnector;
import dev.portdoctor.testkit.FakePlatform;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** wait through the whole CLI, on an in-memory OS and a clock that does not sleep. */
class WaitCommandTest {
  private static final Supplier<Platform> NO_OS = () -> {
    throw new AssertionError("a usage error must not touch the OS");
  };

  private static Environment env(FakeClock clock, FakeConnector net) {
    return new Environment(clock, net, () -> new Random(1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "wait 80                              | exactly one of --listening or --free",
    "wait 80 --listening --free           | exactly one of --listening or --free",
    "wait --listening                     | Missing required parameter: 'PORT'",
    "wait 80 --free --timeout soon        | invalid --timeout 'soon'",
    "wait 80 --free --interval 0          | invalid --interval '0': expected 10ms or more",
    "wait 80 --listening --host a b       | invalid port 'b'",
    "wait 80 --listening --udp --host ::1 | UDP has no connection to wait for",
  })
  void usageErrors(String args, String expected) {
    Result r = CliRunner.run(NO_OS, env(new FakeClock(), new FakeConnector()), args.trim().split("\\s+"));
    if (args.contains("--udp")) {
      // the platform is needed before the options are checked against each other; that is fine here
      r = CliRunner.run(new FakePlatform()::platform, env(new FakeClock(), new FakeConnector()), args.trim().split("\\s+"));
    }
    assertEquals(2, r.exit(), r::toString);
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("portdoctor: ") && r.err().contains(expected.trim()), r::toString);
  }

  @Test
  void pipedItPrintsOnlyTheResult() {
    FakePlatform os = new FakePlatform().process(4242, 1, "postgres", "root");
    FakeClock clock = new FakeClock().at(5, () -> os.listening(5432, 4242));
    Result r = CliRunner.run(os::platform, env(clock, new FakeConnector()), "wait", "5432", "--listening");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("5432/tcp    LISTENING      after 1 s: a LISTEN socket on 0.0.0.0:5432\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void onATerminalALiveLineOnStderrThatIsClearedAtTheEnd() {
    FakePlatform os = new FakePlatform().process(4242, 1, "postgres", "root");
    FakeClock clock = new FakeClock().at(3, () -> os.listening(5432, 4242));
    Context.Terminal tty = new Context.Terminal(true, true, 100, true);
    Result r = CliRunner.runAt(os::platform, tty, env(clock, new FakeConnector()), "wait", "5432", "--listening");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.err().startsWith("\rwaiting 0 ms of 30 s for 5432 to be listened on"), r::toString);
    assertTrue(r.err().contains("\rwaiting 400 ms of 30 s for 5432 to be listened on"), r::toString);
    assertTrue(r.err().matches("(?s).*\r +\r"), "cleared at the end: " + r.err().replace("\r", "\\r"));
    assertFalse(r.err().contains("\n"), r::toString);
    Result quiet = CliRunner.runAt(new FakePlatform()::platform, tty, env(new FakeClock(), new FakeConnector()),
        "wait", "5432", "--listening", "--timeout", "1s", "--quiet");
    assertEquals(5, quiet.exit());
    assertEquals("", quiet.out() + quiet.err());
  }

  @Test
  void localhostTriesBothLoopbacksAndSaysWhichAnswered() {
    FakeConnector net = new FakeConnector().acceptsFrom("::1", 2);
    Result r = CliRunner.run(new FakePlatform()::platform, env(new FakeClock(), net),
        "wait", "8080", "--listening", "--host", "localhost");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(net.calls.containsAll(List.of("::1 8080", "127.0.0.1 8080")), net.calls::toString);
    assertEquals("8080/tcp    LISTENING      after 200 ms: ::1 accepted a connection"
        + " (127.0.0.1: refused (Connection refused))\n", r.out());
  }

  @Test
  void listeningTimeoutSaysWhatIsMissing() {
    Result table = CliRunner.run(new FakePlatform()::platform, env(new FakeClock(), new FakeConnector()),
        "wait", "5432", "--listening", "--timeout", "3s");
    assertEquals(5, table.exit(), table::toString);
    assertEquals("5432/tcp    NOT LISTENING  after 3 s: no LISTEN socket on the port\n", table.out());
    Result connect = CliRunner.run(new FakePlatform()::platform, env(new FakeClock(), new FakeConnector()),
        "wait", "5432", "--listening", "--timeout", "500ms", "--host", "127.0.0.1");
    assertEquals(5, connect.exit(), connect::toString);
    assertEquals("5432/tcp    NOT LISTENING  after 500 ms: 127.0.0.1: refused (Connection refused)\n", connect.out());
  }

  @Test
  void freeTimeoutShowsTheHolderAsWhoDoes() {
    FakePlatform os = new FakePlatform().process(1, 0, "systemd", "root").process(4242, 1, "node", "root")
        .listening(8080, 4242);
    Result r = CliRunner.run(os::platform, env(new FakeClock(), new FakeConnector()),
        "wait", "8080", "--free", "--timeout", "2m");
    assertEquals(5, r.exit(), r::toString);
    assertEquals(String.join("\n",
        "8080/tcp    IN USE         after 2 min: held by pid 4242 (node)",
        "            trial binds: 0.0.0.0: in-use (Address already in use); 127.0.0.1: in-use (Address already in use)",
        "            tcp  LISTEN  0.0.0.0:8080",
        "              pid 4242  node  (user root, started 2026-11-29T11:10:42Z)",
        "                command: node --serve",
        "                parents: systemd (1)",
        "            remedy: stop that process (portdoctor kill 8080), or choose another port (portdoctor free)",
        ""), r.out());
  }

}
