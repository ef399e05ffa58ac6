package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.JarRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The README's first command: scripts/portdoctor runs the jar that this build made. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherIT {

  private static String[] run(String... args) throws Exception {
    JarRunner.jar(); // skips when the jar has not been built
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", Path.of("scripts", "portdoctor").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new String[] {Integer.toString(p.exitValue()), out, err};
  }

  @Test
  void runsTheBuiltJarWithoutRebuildingIt() throws Exception {
    String[] r = run("--version");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].startsWith("portdoctor "), r[1]);
    assertTrue(!r[2].contains("building"), "the jar is fresh, no rebuild: " + r[2]);
  }

  @Test
  void answersAndPassesTheExitCodeThrough() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      String[] busy = run("check", Integer.toString(s.getLocalPort()));
      assertEquals("1", busy[0], busy[1] + busy[2]);
      assertTrue(busy[1].contains("IN USE"), busy[1]);
      String[] again = run("check", Integer.toString(s.getLocalPort()), "--json");
      assertEquals("1", again[0], again[2]);
      assertTrue(again[1].startsWith("{"), "nothing but JSON on stdout, even when the CDS archive is made: " + again[1]);
    } catch (IOException e) {
      throw e;
    }
  }
}
