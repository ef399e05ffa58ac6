package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The help of wait, free and completion: examples, the one exit-code table, the common options. */
class CiCommandsHelpTest {

  @ParameterizedTest
  @ValueSource(strings = {"wait", "free", "completion"})
  void helpWithExamplesAndTheExitCodeTable(String command) {
    Result r = CliRunner.run(() -> {
      throw new AssertionError("help must not touch the OS");
    }, command, "--help");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("Usage: portdoctor " + command), r::toString);
    assertTrue(r.out().contains("Examples:"), r::toString);
    for (ExitCode c : ExitCode.values()) {
      assertTrue(r.out().contains(String.format("%3d", c.code()) + "   " + c.description().substring(0, 20)), c::toString);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"wait", "free"})
  void jsonQuietVerbose(String command) {
    Result r = CliRunner.run(command, "--help");
    for (String opt : new String[] {"--json", "--quiet", "--verbose", "--stacktrace", "--host", "--udp"}) {
      assertTrue(r.out().contains(opt), () -> opt + " missing: " + r.out());
    }
  }

  @org.junit.jupiter.api.Test
  void freeSaysTheOrderIsRandom() {
    assertTrue(CliRunner.run("free", "--help").out().contains("RANDOM order"));
  }

  @org.junit.jupiter.api.Test
  void rootHelpListsTheNewCommands() {
    String out = CliRunner.run("--help").out();
    for (String c : new String[] {"wait", "free", "completion"}) {
      assertTrue(out.contains("  " + c + " "), c + " missing:\n" + out);
    }
  }
}
