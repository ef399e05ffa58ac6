package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakeClock;
import dev.portdoctor.testkit.FakeConnector;
import dev.portdoctor.testkit.FakePlatform;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FreeCommandTest {
  private static FakePlatform os() {
    return new FakePlatform().process(1, 0, "systemd", "root").listening(8080, 1).listening(8082, 1);
  }

  private static Result free(String... args) {
    return CliRunner.run(os()::platform, new Environment(new FakeClock(), new FakeConnector(), () -> new Random(5)), args);
  }

  @Test
  void onePortALineForScripts() {
    Result r = free("free");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().matches("\\d+\n"), r::toString);
    int port = Integer.parseInt(r.out().trim());
    assertTrue(port >= 1024 && port <= 65535, r::toString);
    assertEquals("", r.err());
  }

  @Test
  void countInARangeSkipsHeldPorts() {
    Result r = free("free", "--count", "2", "--range", "8080-8083");
    assertEquals(0, r.exit(), r::toString);
    List<Integer> ports = Arrays.stream(r.out().trim().split("\n")).map(Integer::parseInt).sorted().toList();
    assertEquals(List.of(8081, 8083), ports, "8080 and 8082 are held");
  }

  @Test
  void aRangeWithoutAFreePortIsAClearErrorAndExit1() {
    Result r = free("free", "--range", "8080,8082");
    assertEquals(1, r.exit(), r::toString);
    assertEquals("", r.out());
    assertEquals("portdoctor: no free tcp port in 8080,8082: a trial bind on 0.0.0.0 and 127.0.0.1 failed on every one of the 2 tried\n",
        r.err());
    Result some = free("free", "--range", "8080-8082", "--count", "2");
    assertEquals(1, some.exit(), some::toString);
    assertEquals("", some.out(), "nothing half-done on stdout");
    assertEquals("portdoctor: only 1 free tcp port(s) in 8080-8082, 2 asked\n", some.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "free --count 0          | invalid --count '0'",
    "free --count 5000       | invalid --count '5000'",
    "free --range 9000-8000  | invalid port range '9000-8000'",
    "free --range x          | invalid port 'x'",
    "free 8080               | Unmatched argument",
  })
  void usageErrors(String args, String expected) {
    Result r = free(args.trim().split("\\s+"));
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains(expected.trim()), r::toString);
  }
}
