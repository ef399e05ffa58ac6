package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Platform;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: one clear line on stderr, exit 2, no stack trace, and the OS is never touched. */
class UsageErrorsTest {
  private static final Supplier<Platform> NO_OS = () -> {
    throw new AssertionError("a usage error must not touch the OS");
  };

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "check abc          | invalid port 'abc'",
    "check 0            | invalid port '0': ports range from 1 to 65535",
    "check 70000        | invalid port '70000'",
    "check -1           | '-1'",
    "check 80-20        | invalid port range '80-20'",
    "check 80,,443      | empty item",
    "check 1-2-3        | invalid port",
    "check 99999999999  | invalid port",
    "who abc            | invalid port 'abc'",
    "who                | Missing required parameter: 'PORT'",
    "check --foo 80     | Unknown option: '--foo'",
    "list --port 0      | invalid port '0'",
    "list --pid abc     | Invalid value for option '--pid'",
    "list --pid 0       | invalid --pid '0'",
    "frobnicate         | Unmatched argument at index 0: 'frobnicate'",
    "frobnicate --help  | Unmatched argument",
  })
  void badInputIsOneLineAndExit2(String args, String expected) {
    Result r = CliRunner.run(NO_OS, args.trim().split("\\s+"));
    assertEquals(2, r.exit(), r::toString);
    assertEquals("", r.out(), r::toString);
    String[] lines = r.err().split("\n");
    assertEquals(1, lines.length, r::toString);
    assertTrue(lines[0].startsWith("portdoctor: "), r::toString);
    assertTrue(lines[0].contains(expected.trim()), r::toString);
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r::toString);
  }

  @Test
  void hostThatIsNotAnAddress() {
    Result r = CliRunner.run(NO_OS, "check", "80", "--host", "not-an-address");
    assertEquals(2, r.exit(), r::toString);
    assertEquals("portdoctor: invalid --host 'not-an-address': not an IP address, and no such host name\n", r.err());
    Result blank = CliRunner.run(NO_OS, "check", "80", "--host", "a b");
    assertEquals(2, blank.exit(), blank::toString);
  }

  @Test
  void stackTraceOnlyWhenAsked() {
    Result plain = CliRunner.run(NO_OS, "check", "abc");
    assertFalse(plain.err().contains("\tat "), plain::toString);
    Result traced = CliRunner.run(NO_OS, "check", "abc", "--stacktrace");
    assertEquals(2, traced.exit());
    assertTrue(traced.err().contains("\tat dev.portdoctor"), traced::toString);
  }

  @Test
  void userTextInErrorsIsEscaped() {
    Result r = CliRunner.run(NO_OS, "check", "8\u001b[31m0");
    assertEquals(2, r.exit());
    assertFalse(r.err().contains("\u001b"), r::toString);
    assertTrue(r.err().contains("8\\e[31m0"), r::toString);
  }

  @Test
  void noCommandPrintsUsageOnStderr() {
    Result r = CliRunner.run(NO_OS);
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Usage: portdoctor"), r::toString);
  }

  @Test
  void internalErrorsSayBugAndExit70() {
    Result r = CliRunner.run(() -> {
      throw new IllegalStateException("boom");
    }, "who", "80");
    assertEquals(70, r.exit(), r::toString);
    assertTrue(r.err().startsWith("portdoctor: internal error: java.lang.IllegalStateException: boom"), r::toString);
    assertTrue(r.err().contains("--stacktrace"), r::toString);
    assertFalse(r.err().contains("\tat "), r::toString);
  }
}
