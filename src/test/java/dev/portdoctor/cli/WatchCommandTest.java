package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Platform;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakeClock;
import dev.portdoctor.testkit.FakeConnector;
import dev.portdoctor.testkit.FakePlatform;
import dev.portdoctor.testkit.JsonOut;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** watch without a terminal, through the whole CLI, on an in-memory OS and a clock that does not sleep. */
class WatchCommandTest {
  private static final Supplier<Platform> NO_OS = () -> {
    throw new AssertionError("a usage error must not touch the OS");
  };

  private static Environment env(FakeClock clock) {
    return new Environment(clock, new FakeConnector(), () -> new Random(1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "watch --interval 50ms        | invalid --interval '50ms': at least 100ms",
    "watch --interval soon        | invalid --interval 'soon'",
    "watch --count 0              | invalid --count '0'",
    "watch --duration forever     | invalid --duration 'forever'",
    "watch 70000                  | invalid port '70000'",
  })
  void usageErrors(String args, String expected) {
    Result r = CliRunner.run(NO_OS, env(new FakeClock()), args.trim().split("\\s+"));
    assertEquals(2, r.exit(), r::toString);
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("portdoctor: ") && r.err().contains(expected.trim()), r::toString);
  }

  @Test
  void oneLinePerChangeUntilTheCount() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").process(5000, 1, "python3", "root")
        .listening(3000, 4242);
    FakeClock clock = new FakeClock()
        .at(1, () -> os.listening(8080, 5000))
        .at(3, () -> os.notListening(3000));
    Result r = CliRunner.run(os::platform, env(clock), "watch", "--count", "5");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "+ tcp LISTEN 0.0.0.0:3000 pid 4242 node",
        "+ tcp LISTEN 0.0.0.0:8080 pid 5000 python3",
        "- tcp LISTEN 0.0.0.0:3000 pid 4242 node"), r.out().lines().toList());
    assertEquals("", r.err());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)),
        clock.slept, "five looks, one second apart");
  }

  @Test
  void onlyThePortsAskedFor() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(3000, 4242).listening(3001, 4242);
    Result r = CliRunner.run(os::platform, env(new FakeClock()), "watch", "3001", "--count", "1");
    assertEquals(List.of("+ tcp LISTEN 0.0.0.0:3001 pid 4242 node"), r.out().lines().toList());
  }

  @Test
  void theDurationStopsItAndTheIntervalIsKept() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(3000, 4242);
    FakeClock clock = new FakeClock();
    Result r = CliRunner.run(os::platform, env(clock), "watch", "--interval", "500ms", "--duration", "2s");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(4, clock.slept.size(), "looks at 0, 0.5, 1, 1.5 and 2 s: " + clock.slept);
    assertTrue(clock.slept.stream().allMatch(d -> d.equals(Duration.ofMillis(500))), clock.slept::toString);
  }

  @Test
  void jsonLinesOneObjectPerChange() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(3000, 4242);
    FakeClock clock = new FakeClock().at(1, () -> os.notListening(3000));
    Result r = CliRunner.run(os::platform, env(clock), "watch", "--json", "--count", "2");
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r::toString);
    Map<String, Object> first = JsonOut.parse(lines.get(0));
    Map<String, Object> second = JsonOut.parse(lines.get(1));
    assertEquals("watch", first.get("command"));
    assertEquals("added", first.get("event"));
    assertEquals("removed", second.get("event"));
    @SuppressWarnings("unchecked")
    Map<String, Object> socket = (Map<String, Object>) second.get("socket");
    assertEquals(3000, ((Number) socket.get("localPort")).intValue());
  }

  @Test
  void ctrlCWhileItWaitsExits130() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(3000, 4242);
    Result r = CliRunner.run(os::platform, env(new FakeClock().interruptAt(2)), "watch");
    assertEquals(130, r.exit(), r::toString);
    assertEquals(List.of("+ tcp LISTEN 0.0.0.0:3000 pid 4242 node"), r.out().lines().toList());
  }
}
