package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The release archives that 'mvn package' makes: the entries, the launcher's mode, the man page. */
class ReleaseArchiveIT {
  private static final List<String> REQUIRED = List.of("lib/portdoctor.jar", "bin/portdoctor", "bin/portdoctor.cmd",
      "install.sh", "completion/portdoctor.bash", "README.md", "LICENSE", "docs/json.md", "man/man1/portdoctor.1",
      "man/man1/portdoctor-wait.1", "man/man1/portdoctor-free.1", "man/man1/portdoctor-check.1");

  private static Path base() {
    String b = System.getProperty("portdoctor.archive", "target/portdoctor-0.1.0-SNAPSHOT");
    assumeTrue(Files.isRegularFile(Path.of(b + ".zip")), "the release archive is absent: run 'mvn verify'");
    return Path.of(b);
  }

  private static String top() {
    return base().getFileName().toString() + "/";
  }

  @Test
  void zipHasEveryEntry() throws IOException {
    try (ZipFile zip = new ZipFile(base() + ".zip")) {
      List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
      for (String r : REQUIRED) {
        assertTrue(names.contains(top() + r), r + " missing from the zip: " + names);
      }
      String cmd = new String(zip.getInputStream(zip.getEntry(top() + "bin/portdoctor.cmd")).readAllBytes(),
          StandardCharsets.UTF_8);
      assertTrue(cmd.contains("\r\n"), "Windows line ends in the .cmd");
    }
  }

  @Test
  void tarGzHasEveryEntryAndExecutableScripts() throws IOException {
    Map<String, Integer> modes = tarModes(Path.of(base() + ".tar.gz"));
    for (String r : REQUIRED) {
      assertTrue(modes.containsKey(top() + r), r + " missing from the tar.gz: " + modes.keySet());
    }
    assertEquals(0755, modes.get(top() + "bin/portdoctor") & 0777);
    assertEquals(0755, modes.get(top() + "install.sh") & 0777);
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void unpackedItRunsAndTheManPageIsTroff(@TempDir Path dir) throws Exception {
    Process tar = new ProcessBuilder("tar", "-xzf", base() + ".tar.gz", "-C", dir.toString()).inheritIO().start();
    assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, tar.exitValue());
    Path home = dir.resolve(base().getFileName().toString());
    Process p = new ProcessBuilder(home.resolve("bin/portdoctor").toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("portdoctor "), out);
    // the native library beside the jar, where the build made one (Linux with gcc), and it is the one used
    Path built = Path.of(System.getProperty("portdoctor.jar", "target/portdoctor.jar")).toAbsolutePath().getParent()
        .resolve("native");
    if (Files.isDirectory(built)) {
      try (java.util.stream.Stream<Path> libs = Files.list(built)) {
        for (Path platform : libs.filter(d -> Files.isRegularFile(d.resolve("libportdoctor.so"))).toList()) {
          Path lib = home.resolve("lib/native").resolve(platform.getFileName()).resolve("libportdoctor.so");
          assertTrue(Files.isRegularFile(lib), lib + " missing from the archive");
          Process v = new ProcessBuilder(home.resolve("bin/portdoctor").toString(), "who", "1", "-v").start();
          String err = new String(v.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
          assertTrue(v.waitFor(60, TimeUnit.SECONDS));
          assertTrue(err.contains("native library " + lib + " loaded"), err);
        }
      }
    }
    String man = Files.readString(home.resolve("man/man1/portdoctor-wait.1"));
    assertTrue(man.contains(".TH \"PORTDOCTOR\\-WAIT\" \"1\""), man.substring(0, Math.min(600, man.length())));
    assertTrue(man.contains("\\-\\-listening"), "options are in the page");
  }

  /** Entry names and modes of a (ustar/GNU) tar.gz: enough of the format for the assembly plugin's output. */
  static Map<String, Integer> tarModes(Path file) throws IOException {
    Map<String, Integer> out = new LinkedHashMap<>();
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
      byte[] h = new byte[512];
      String longName = null;
      while (true) {
        in.readFully(h);
        if (h[0] == 0) {
          return out;
        }
        String name = field(h, 0, 100);
        int mode = (int) octal(h, 100, 8);
        long size = octal(h, 124, 12);
        char type = (char) h[156];
        String prefix = field(h, 345, 155);
        byte[] data = new byte[(int) ((size + 511) / 512 * 512)];
        in.readFully(data);
        if (type == 'L') {
          longName = new String(data, 0, (int) size, StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        String full = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
        longName = null;
        out.put(full, mode);
      }
    }
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int off, int len) {
    String s = field(h, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  static List<String> names(Map<String, Integer> m) {
    return new ArrayList<>(m.keySet());
  }
}
