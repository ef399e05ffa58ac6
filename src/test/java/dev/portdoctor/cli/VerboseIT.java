package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** --verbose logs through slf4j-simple on stderr, in a separate JVM (slf4j reads its level once). */
@EnabledOnOs(OS.LINUX)
class VerboseIT {
  @Test
  void verboseLogsToStderrAndStdoutStaysClean() {
    Result r = JarRunner.run(List.of(), JarRunner.jar(), "who", "1", "--json", "-v");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().contains("DEBUG") && r.err().contains("/proc/net/tcp"), r::toString);
    assertTrue(r.out().startsWith("{"), r::toString);
    assertFalse(r.out().contains("DEBUG"), r::toString);

    Result quiet = JarRunner.run(List.of(), JarRunner.jar(), "who", "1");
    assertEquals("", quiet.err(), "no log without --verbose");
  }
}
