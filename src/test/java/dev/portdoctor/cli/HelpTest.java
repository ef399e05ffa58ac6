package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "check", "who", "list"})
  void everyCommandHasHelpWithExamplesAndTheExitCodeTable(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
    Result r = CliRunner.run(() -> {
      throw new AssertionError("help must not touch the OS");
    }, args);
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("Usage: portdoctor"), r::toString);
    assertTrue(r.out().contains("Examples:"), r::toString);
    assertTrue(r.out().contains("Exit codes:"), r::toString);
    for (ExitCode c : ExitCode.values()) {
      assertTrue(r.out().contains(String.format("%3d", c.code()) + "   " + c.description().substring(0, 20)),
          () -> c + " missing from\n" + r.out());
    }
    assertEquals("", r.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--version", "-V"})
  void version(String flag) {
    Result r = CliRunner.run(flag);
    assertEquals(0, r.exit());
    assertTrue(r.out().matches("portdoctor \\d+\\.\\d+\\.\\d+.*\\n"), r::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "who", "list"})
  void commandHelpDocumentsJsonQuietVerbose(String command) {
    Result r = CliRunner.run(command, "--help");
    for (String opt : new String[] {"--json", "--quiet", "--verbose", "--stacktrace"}) {
      assertTrue(r.out().contains(opt), () -> opt + " missing: " + r.out());
    }
  }
}
