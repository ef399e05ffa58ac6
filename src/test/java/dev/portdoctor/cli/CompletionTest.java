package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.core.Platform;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** completion bash|zsh: picocli's script, checked by a real bash. */
class CompletionTest {
  private static final Supplier<Platform> NO_OS = () -> {
    throw new AssertionError("completion must not touch the OS");
  };

  /** Runs a command with a deadline; returns exit code and merged output. */
  private static String[] exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new String[] {Integer.toString(p.exitValue()), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)};
  }

  @Test
  void bashScriptWithAHeader() {
    Result r = CliRunner.run(NO_OS, "completion", "bash");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("#!/usr/bin/env bash\n# portdoctor completion for bash"), r::toString);
    assertTrue(r.out().contains("complete -F _complete_portdoctor"), r::toString);
    for (String cmd : new String[] {"check", "who", "list", "kill", "wait", "free", "completion"}) {
      assertTrue(r.out().contains(cmd), cmd);
    }
    assertTrue(r.out().contains("--listening") && r.out().contains("--count"), "options of the new commands");
  }

  @Test
  void zshGetsTheSameScriptAndSaysHowItWorks() {
    Result zsh = CliRunner.run(NO_OS, "completion", "zsh");
    Result bash = CliRunner.run(NO_OS, "completion", "bash");
    assertEquals(0, zsh.exit());
    assertTrue(zsh.out().startsWith("#!/usr/bin/env bash\n# portdoctor completion for zsh. This is the bash completion script"),
        zsh::toString);
    assertTrue(zsh.out().contains("bashcompinit"), zsh::toString);
    String body = bash.out().substring(bash.out().indexOf("\n#!/usr/bin/env bash") >= 0 ? 0 : nthLine(bash.out(), 3));
    assertTrue(zsh.out().endsWith(body), "same script after the header");
  }

  /** Where line {@code n} (0-based) starts. */
  private static int nthLine(String s, int n) {
    int at = 0;
    for (int i = 0; i < n; i++) {
      at = s.indexOf('\n', at) + 1;
    }
    return at;
  }

  @Test
  void otherShellsAreAUsageError() {
    Result r = CliRunner.run(NO_OS, "completion", "fish");
    assertEquals(2, r.exit());
    assertEquals("portdoctor: invalid shell 'fish': expected bash or zsh\n", r.err());
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void bashParsesItAndRegistersTheCompletion(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("portdoctor.bash");
    Files.writeString(script, CliRunner.run(NO_OS, "completion", "bash").out());
    String[] syntax = exec(List.of("bash", "-n", script.toString()));
    assertEquals("0", syntax[0], syntax[1]);
    String[] registered = exec(List.of("bash", "-c", "source \"$1\" && complete -p portdoctor", "bash", script.toString()));
    assertEquals("0", registered[0], registered[1]);
    assertTrue(registered[1].startsWith("complete ") && registered[1].contains("-F _complete_portdoctor")
        && registered[1].trim().endsWith("portdoctor"), registered[1]);
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void zshLoadsItThroughBashcompinit(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/zsh")) || Files.isExecutable(Path.of("/usr/bin/zsh")), "zsh is not installed");
    Path script = dir.resolve("_portdoctor");
    Files.writeString(script, CliRunner.run(NO_OS, "completion", "zsh").out());
    String[] r = exec(List.of("zsh", "-c", "source \"$1\" && echo ${_comps[portdoctor]}", "zsh", script.toString()));
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("_bash_complete"), r[1]);
  }
}
