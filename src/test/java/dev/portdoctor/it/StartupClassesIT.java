package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.JarRunner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal library of {@code watch}'s full-screen view (JLine) is in the jar, and no other command
 * loads a class of it, nor of {@code tui/}: each command runs once with {@code -Xlog:class+load} and the
 * log is read. {@code watch} piped (lines) needs none of it either. (WatchScreenIT shows the other side:
 * the full-screen view does load it.)
 */
class StartupClassesIT {
  @TempDir Path dir;

  @Test
  void noCommandButTheFullScreenWatchLoadsTheTerminalLibrary() throws Exception {
    try (ServerSocket own = new ServerSocket()) {
      own.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String port = Integer.toString(own.getLocalPort());
      List<List<String>> commands = List.of(List.of("--version"), List.of("who", port), List.of("check", port),
          List.of("list"), List.of("list", "--json"), List.of("stats"), List.of("watch", port, "--count", "1"),
          List.of("watch", port, "--count", "1", "--json"), List.of("watch", "--help"));
      for (List<String> cmd : commands) {
        Path log = dir.resolve("classes-" + String.join("-", cmd).replace("/", "_") + ".log");
        CliRunner.Result r = JarRunner.run(JarRunner.Invocation.plain().jvm("-Xlog:class+load=info:file=" + log),
            JarRunner.jar(), cmd.toArray(new String[0]));
        assertTrue(r.exit() == 0 || r.exit() == 1, () -> cmd + ": " + r);
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("dev.portdoctor.Main ")), () -> cmd + ": no class log?");
        assertEquals(List.of(), lines.stream()
            .filter(l -> l.contains(" org.jline.") || l.contains(" dev.portdoctor.tui.")).toList(), cmd::toString);
      }
    }
  }
}
