package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.JarRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** scripts/install.sh into a temporary prefix: install twice, run the launcher, uninstall, nothing left. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class InstallIT {

  private static String[] run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new String[] {Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8)};
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).filter(p -> !p.isEmpty()).sorted().toList();
    }
  }

  @Test
  void installTwiceRunUninstallLeavesOnlyWhatWasThere(@TempDir Path tmp) throws Exception {
    Path jar = JarRunner.jar();
    Path prefix = tmp.resolve("prefix");
    Files.createDirectories(prefix.resolve("bin"));
    Files.writeString(prefix.resolve("bin/other-tool"), "#!/bin/sh\n"); // not ours: must survive
    List<String> install = new ArrayList<>(List.of("bash", "scripts/install.sh", "--prefix", prefix.toString(),
        "--jar", jar.toString()));

    String[] first = run(install);
    assertEquals("0", first[0], first[1] + first[2]);
    String[] second = run(install);
    assertEquals("0", second[0], "idempotent: " + second[1] + second[2]);

    Path launcher = prefix.resolve("bin/portdoctor");
    assertTrue(Files.isExecutable(launcher));
    assertTrue(Files.isRegularFile(prefix.resolve("share/portdoctor/portdoctor.jar")));
    assertTrue(Files.isRegularFile(prefix.resolve("share/man/man1/portdoctor-wait.1")), tree(prefix).toString());
    assertTrue(Files.isRegularFile(prefix.resolve("share/bash-completion/completions/portdoctor")));
    String manifest = Files.readString(prefix.resolve("share/portdoctor/installed.txt"));
    assertEquals(manifest.lines().distinct().count(), manifest.lines().count(), "no entry twice: " + manifest);

    String[] version = run(List.of(launcher.toString(), "--version"));
    assertEquals("0", version[0], version[2]);
    assertTrue(version[1].startsWith("portdoctor "), version[1]);
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String[] check = run(List.of(launcher.toString(), "check", Integer.toString(held.getLocalPort()), "--quiet"));
      assertEquals("1", check[0], "exit codes pass through the launcher: " + check[2]);
    }

    String[] uninstall = run(List.of("bash", "scripts/install.sh", "--prefix", prefix.toString(), "--uninstall"));
    assertEquals("0", uninstall[0], uninstall[1] + uninstall[2]);
    assertEquals(List.of("bin", "bin/other-tool"), tree(prefix), "exactly what it installed is gone");

    String[] again = run(List.of("bash", "scripts/install.sh", "--prefix", prefix.toString(), "--uninstall"));
    assertEquals("1", again[0], "nothing left to uninstall: " + again[2]);
  }

  @Test
  void aFreshPrefixIsRemovedWhole(@TempDir Path tmp) throws Exception {
    Path prefix = tmp.resolve("new/prefix");
    String[] in = run(List.of("bash", "scripts/install.sh", "--prefix", prefix.toString(), "--jar",
        JarRunner.jar().toString(), "--no-cds"));
    assertEquals("0", in[0], in[1] + in[2]);
    assertTrue(!in[1].contains("AppCDS"), "--no-cds: " + in[1]);
    String[] out = run(List.of("bash", "scripts/install.sh", "--prefix", prefix.toString(), "--uninstall"));
    assertEquals("0", out[0], out[1] + out[2]);
    assertEquals(List.of(), tree(tmp), "the folders it created are gone too");
  }
}
