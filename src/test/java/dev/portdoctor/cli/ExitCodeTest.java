package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** One command for every row of the exit-code table, run through the whole CLI on an in-memory OS. */
class ExitCodeTest {
  private static final Set<ExitCode> SEEN = EnumSet.noneOf(ExitCode.class);

  private static Result expect(ExitCode code, FakePlatform os, FakeClock clock, String... args) {
    Result r = CliRunner.run(os::platform, new Environment(clock, new FakeConnector(), () -> new Random(1)), args);
    assertEquals(code.code(), r.exit(), r::toString);
    SEEN.add(code);
    return r;
  }

  private static FakePlatform held() {
    return new FakePlatform().process(1, 0, "systemd", "root").process(4242, 1, "node", "root").listening(8080, 4242);
  }

  @Test
  void ok0() {
    expect(ExitCode.OK, held(), new FakeClock(), "check", "9090");
  }

  @Test
  void no1() {
    expect(ExitCode.NO, held(), new FakeClock(), "check", "8080");
  }

  @Test
  void usage2() {
    Result r = expect(ExitCode.USAGE, held(), new FakeClock(), "wait", "8080");
    assertEquals("portdoctor: wait needs exactly one of --listening or --free\n", r.err());
  }

  @Test
  void denied3() {
    FakePlatform os = new FakePlatform().caller("bob").process(4242, 1, "postgres", "alice").listening(5432, 4242);
    expect(ExitCode.DENIED, os, new FakeClock(), "kill", "5432", "--yes");
  }

  @Test
  void stillBusy4() {
    FakePlatform os = held().pidReusedAfterPlan(4242);
    expect(ExitCode.STILL_BUSY, os, new FakeClock(), "kill", "8080", "--yes", "--grace", "0");
  }

  @Test
  void stillBusy4NamesAHolderThatHasNotFinishedExiting() {
    FakePlatform os = held().exitsSlowly(4242);
    Result r = expect(ExitCode.STILL_BUSY, os, new FakeClock(), "kill", "8080", "--yes", "--grace", "0");
    assertTrue(r.out().contains("still held by pid 4242 (node), which was signalled and still holds its socket"),
        r::toString);
  }

  @Test
  void timeout5() {
    Result r = expect(ExitCode.TIMEOUT, held(), new FakeClock(), "wait", "8080", "--free", "--timeout", "1s");
    assertTrue(r.out().contains("IN USE") && r.out().contains("held by pid 4242 (node)"), r::toString);
  }

  @Test
  void internal70() {
    FakePlatform os = held();
    Platform p = os.platform();
    SocketSource broken = new SocketSource() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public List<SocketEntry> snapshot(SocketQuery query) {
        throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot read /proc/net/tcp: I/O error");
      }
    };
    Platform q = new Platform(p.osName(), broken, p.processes(), p.probe(), p.facts(), p.control());
    Result r = CliRunner.run(() -> q, new Environment(new FakeClock(), new FakeConnector(), Random::new), "who", "8080");
    assertEquals(ExitCode.INTERNAL.code(), r.exit(), r::toString);
    assertEquals("portdoctor: cannot read /proc/net/tcp: I/O error\n", r.err());
    SEEN.add(ExitCode.INTERNAL);
  }

  @Test
  void unreachable6() {
    dev.portdoctor.os.remote.Transport refused = new dev.portdoctor.os.remote.Transport() {
      @Override
      public Reply run(dev.portdoctor.os.remote.HostSpec host, List<String> command, String stdin,
          java.time.Duration deadline) {
        return new Reply(255, "", "ssh: connect to host web-3 port 22: Connection refused\r\n", false);
      }

      @Override
      public List<String> argv(dev.portdoctor.os.remote.HostSpec host, List<String> command) {
        return List.of("ssh");
      }
    };
    Result r = CliRunner.run(held()::platform, new Environment(new FakeClock(), new FakeConnector(), Random::new).withRemoteTransport(refused),
        "who", "8080", "--on", "web-3");
    assertEquals(ExitCode.UNREACHABLE.code(), r.exit(), r::toString);
    assertEquals("portdoctor: web-3: cannot connect: ssh: connect to host web-3 port 22: Connection refused\n", r.err());
    assertEquals("web-3: ERROR (unreachable): cannot connect: ssh: connect to host web-3 port 22: Connection refused\n",
        r.out());
    SEEN.add(ExitCode.UNREACHABLE);
  }

  /** Ctrl-C while waiting; in-process it arrives as an interruption of the sleep. */
  @Test
  void interrupted130() {
    Result r = expect(ExitCode.INTERRUPTED, held(), new FakeClock().interruptAt(2), "wait", "9090", "--listening");
    assertTrue(r.err().startsWith("portdoctor: interrupted after 200 ms; still waiting for port(s) 9090"), r::toString);
  }

  @AfterAll
  static void everyRowHasATest() {
    assertEquals(EnumSet.allOf(ExitCode.class), SEEN, "an exit code without a test");
  }
}
