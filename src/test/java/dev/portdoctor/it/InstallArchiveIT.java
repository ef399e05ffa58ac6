package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.SocketHolderMain;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archives as a user gets them: the checksum file verifies them (and a wrong one does not),
 * the Homebrew formula, Scoop manifest and JBang catalog that JReleaser made carry the pom's version and
 * the archives' SHA-256, and an install of the tar.gz (install.sh into a temporary prefix) and an unpacked
 * zip both answer {@code who} for a port this test holds.
 */
class InstallArchiveIT {
  private static final String GROUP_ARTIFACT = "dev.portdoctor:portdoctor";
  private static final long SELF = ProcessHandle.current().pid();

  // ---------------------------------------------------------------- where things are

  private static Path base() {
    String b = System.getProperty("portdoctor.archive", "target/portdoctor-0.1.0-SNAPSHOT");
    assumeTrue(Files.isRegularFile(Path.of(b + ".zip")), "the release archive is absent: run 'mvn verify'");
    return Path.of(b);
  }

  private static Path zip() {
    return Path.of(base() + ".zip");
  }

  private static Path tarGz() {
    return Path.of(base() + ".tar.gz");
  }

  /** portdoctor-VERSION, the archives' top folder. */
  private static String top() {
    return base().getFileName().toString();
  }

  private static String version() {
    return System.getProperty("portdoctor.version", top().substring("portdoctor-".length()));
  }

  /**
   * target/jreleaser: made in the same 'mvn package' as the archives, so it must be there when they are,
   * unless the build was told to leave it out (-Djreleaser.skip=true).
   */
  private static Path releaseFiles() {
    base();
    assumeFalse(Boolean.getBoolean("portdoctor.releaseFilesSkipped"), "-Djreleaser.skip=true: no release files");
    Path dir = Path.of(System.getProperty("portdoctor.releaseFiles", "target/jreleaser"));
    assertTrue(Files.isDirectory(dir.resolve("prepare")), dir + " is missing: the profile release-files did not run");
    return dir;
  }

  private static Path checksums() {
    return releaseFiles().resolve("checksums/checksums_sha256.txt");
  }

  // ---------------------------------------------------------------- checksums

  @Test
  void checksumFileListsBothArchivesWithTheirSha256() throws IOException {
    Map<String, String> listed = parseSums(Files.readString(checksums()));
    assertEquals(Set.of(zip().getFileName().toString(), tarGz().getFileName().toString()), listed.keySet(),
        "one line per archive");
    assertEquals(List.of(), mismatches(checksums(), zip().getParent()));
    for (Path archive : List.of(zip(), tarGz())) {
      Path single = releaseFiles().resolve("checksums/portdoctor/" + archive.getFileName() + ".sha256");
      assertEquals(sha256(archive), Files.readString(single).trim(), single + " (the hex alone, as $url.sha256)");
    }
  }

  @Test
  void aWrongChecksumFileIsCaught(@TempDir Path tmp) throws IOException {
    Path wrong = tmp.resolve("checksums_sha256.txt");
    Files.writeString(wrong, tamper(Files.readString(checksums()), zip().getFileName().toString()));
    assertEquals(List.of(zip().getFileName().toString()), mismatches(wrong, zip().getParent()));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void sha256sumAcceptsTheChecksumFileAndRejectsAWrongOne(@TempDir Path tmp) throws Exception {
    Path dir = zip().getParent().toAbsolutePath();
    CliRunner.Result ok = run(dir, List.of("sha256sum", "-c", checksums().toAbsolutePath().toString()));
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(ok.out().contains(zip().getFileName() + ": OK"), ok.out());
    assertTrue(ok.out().contains(tarGz().getFileName() + ": OK"), ok.out());

    Path wrong = tmp.resolve("checksums_sha256.txt");
    Files.writeString(wrong, tamper(Files.readString(checksums()), tarGz().getFileName().toString()));
    CliRunner.Result bad = run(dir, List.of("sha256sum", "-c", wrong.toString()));
    assertEquals(1, bad.exit(), bad.toString());
    assertTrue(bad.out().contains(tarGz().getFileName() + ": FAILED"), bad.out());
  }

  // ---------------------------------------------------------------- manifests

  @Test
  void homebrewFormulaHasThisVersionAndTheZipsSha256() throws IOException {
    String rb = Files.readString(releaseFiles().resolve("prepare/portdoctor/brew/Formula/portdoctor.rb"));
    assertEquals(version(), field(rb, "version"), rb);
    assertEquals(sha256(zip()), field(rb, "sha256"), rb);
    String url = field(rb, "url");
    assertTrue(url.startsWith("https://github.com/") && url.endsWith("/" + zip().getFileName()), url);
    assertTrue(rb.contains("class Portdoctor < Formula"), rb);
    assertTrue(rb.contains("depends_on \"openjdk@17\""), rb);
    assertTrue(rb.contains("#{bin}/portdoctor who #{port} --json"), "the formula's test runs who: " + rb);
  }

  @Test
  void scoopManifestHasThisVersionTheZipsSha256AndItsLayout() throws IOException {
    Map<String, Object> m = JsonOut.parse(
        Files.readString(releaseFiles().resolve("prepare/portdoctor/scoop/bucket/portdoctor.json")));
    assertEquals(version(), m.get("version"));
    assertEquals(sha256(zip()), m.get("hash"));
    String url = (String) m.get("url");
    assertTrue(url.startsWith("https://github.com/") && url.endsWith("/" + zip().getFileName()), url);
    assertEquals(top(), m.get("extract_dir"));
    assertEquals("bin\\portdoctor.cmd", m.get("bin"));
    assertEquals("java/temurin17-jdk", JsonOut.map(m.get("suggest")).get("JDK"));
    assertTrue(JsonOut.map(m.get("autoupdate")).get("url").toString().contains("$version"), m.toString());
    try (ZipFile z = new ZipFile(zip().toFile())) {
      assertTrue(z.getEntry(m.get("extract_dir") + "/" + m.get("bin").toString().replace('\\', '/')) != null,
          "extract_dir + bin is an entry of the zip");
    }
  }

  @Test
  void jbangCatalogRunsThisVersionsCoordinates() throws IOException {
    Map<String, Object> alias = JsonOut.map(JsonOut.map(JsonOut.parse(
        Files.readString(generatedCatalog())).get("aliases")).get("portdoctor"));
    assertEquals(GROUP_ARTIFACT + ":" + version(), alias.get("script-ref"));
    assertEquals("17+", alias.get("java"));
  }

  @Test
  void committedJBangCatalogIsTheGeneratedOne() throws IOException {
    // line ends aside: a Windows checkout may have turned the committed copy's into CRLF
    assertEquals(Files.readString(generatedCatalog()).replace("\r\n", "\n"),
        Files.readString(Path.of("jbang-catalog.json")).replace("\r\n", "\n"),
        "jbang-catalog.json (the catalog of 'jbang portdoctor@OWNER/portdoctor') is out of date with the pom: "
            + "cp " + generatedCatalog() + " jbang-catalog.json");
  }

  private static Path generatedCatalog() {
    return releaseFiles().resolve("prepare/portdoctor/jbang/jbang-catalog.json");
  }

  // ---------------------------------------------------------------- installed and run

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void tarGzInstalledIntoAPrefixNamesTheHolderOfAPort(@TempDir Path tmp) throws Exception {
    Path unpacked = Files.createDirectory(tmp.resolve("unpacked"));
    CliRunner.Result tar = run(tmp, List.of("tar", "-xzf", tarGz().toAbsolutePath().toString(), "-C",
        unpacked.toString()));
    assertEquals(0, tar.exit(), tar.toString());
    Path prefix = tmp.resolve("prefix");
    CliRunner.Result install = run(tmp, List.of(unpacked.resolve(top()).resolve("install.sh").toString(),
        "--prefix", prefix.toString(), "--no-cds"));
    assertEquals(0, install.exit(), install.toString());
    Path launcher = prefix.resolve("bin/portdoctor");
    assertTrue(Files.isExecutable(launcher), install.out());

    CliRunner.Result version = run(tmp, List.of(launcher.toString(), "--version"));
    assertEquals(0, version.exit(), version.toString());
    assertEquals("portdoctor " + version(), version.out().trim());

    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      String port = Integer.toString(held.getLocalPort());
      assertEquals(List.of(SELF), whoPids(tmp, launcher, port));
      CliRunner.Result text = run(tmp, List.of(launcher.toString(), "who", port));
      assertEquals(0, text.exit(), text.toString());
      // the verdict names every holder of the port number (another program on this shared machine
      // may hold it on another address); this test's is among them
      assertTrue(text.out().startsWith("port " + port + ": held by ") && text.out().contains("pid " + SELF + " "),
          text.out());
    }
    try (ChildJvm child = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0")) {
      assertEquals(List.of(child.pid()), whoPids(tmp, launcher, Integer.toString(child.port(0))));
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void zipUnpackedAsUnzipWouldRunsItsOwnLauncher(@TempDir Path tmp) throws Exception {
    unzipWithModes(zip(), tmp);
    Path launcher = tmp.resolve(top()).resolve("bin/portdoctor");
    assertTrue(Files.isExecutable(launcher), "bin/portdoctor is 0755 in the zip");
    try (ChildJvm child = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0")) {
      assertEquals(List.of(child.pid()), whoPids(tmp, launcher, Integer.toString(child.port(0))));
    }
  }

  @Test
  void zipCarriesTheWindowsLauncherWithCrlfLineEnds() throws IOException {
    try (ZipFile z = new ZipFile(zip().toFile())) {
      ZipEntry cmd = z.getEntry(top() + "/bin/portdoctor.cmd");
      assertTrue(cmd != null, "bin/portdoctor.cmd in the zip");
      byte[] b;
      try (InputStream in = z.getInputStream(cmd)) {
        b = in.readAllBytes();
      }
      int lines = 0;
      for (int i = 0; i < b.length; i++) {
        if (b[i] == '\n') {
          assertTrue(i > 0 && b[i - 1] == '\r', "a bare LF at byte " + i + " of bin/portdoctor.cmd");
          lines++;
        }
      }
      assertTrue(lines > 3, "lines: " + lines);
      assertTrue(new String(b, StandardCharsets.US_ASCII).contains("lib\\portdoctor.jar"), "runs lib\\portdoctor.jar");
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The PIDs that {@code who PORT --json} of the launcher names as holders of the TCP listener on
   * 127.0.0.1:PORT (a JVM's socket is IPv6 and shows as ::ffff:127.0.0.1). Other sockets with that port
   * number, of other programs on this shared machine, are not the test's.
   */
  private static List<Long> whoPids(Path dir, Path launcher, String port) throws Exception {
    CliRunner.Result r = run(dir, List.of(launcher.toString(), "who", port, "--json"));
    assertEquals(0, r.exit(), r.toString());
    List<Long> pids = new ArrayList<>();
    for (Map<String, Object> socket : JsonOut.sockets(JsonOut.parse(r.out()))) {
      if ("tcp".equals(socket.get("protocol")) && "LISTEN".equals(socket.get("state"))
          && List.of("127.0.0.1", "::ffff:127.0.0.1").contains(socket.get("localAddress"))) {
        pids.addAll(JsonOut.pids(socket));
      }
    }
    return pids;
  }

  /** Lines {@code HEX  NAME} (sha256sum's format; {@code *NAME} for binary mode) by name. */
  static Map<String, String> parseSums(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    Pattern line = Pattern.compile("([0-9a-f]{64}) [ *](.+)");
    for (String l : text.lines().toList()) {
      Matcher m = line.matcher(l);
      assertTrue(m.matches(), "not a sha256sum line: '" + l + "'");
      out.put(m.group(2), m.group(1));
    }
    return out;
  }

  /** The names in the checksum file whose file in dir has another SHA-256 (or is missing). */
  static List<String> mismatches(Path sums, Path dir) throws IOException {
    List<String> bad = new ArrayList<>();
    for (Map.Entry<String, String> e : parseSums(Files.readString(sums)).entrySet()) {
      Path f = dir.resolve(e.getKey());
      if (!Files.isRegularFile(f) || !sha256(f).equals(e.getValue())) {
        bad.add(e.getKey());
      }
    }
    return bad;
  }

  /** The checksum file with one hex digit changed on the line of that name. */
  private static String tamper(String sums, String name) {
    StringBuilder out = new StringBuilder();
    for (String l : sums.lines().toList()) {
      out.append(l.endsWith("  " + name) ? (l.charAt(0) == '0' ? '1' : '0') + l.substring(1) : l).append('\n');
    }
    assertFalse(out.toString().equals(sums), "the tampered file differs");
    return out.toString();
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value of a Ruby line {@code key "value"}. */
  private static String field(String rb, String key) {
    Matcher m = Pattern.compile("(?m)^\\s*" + key + " \"([^\"]*)\"$").matcher(rb);
    assertTrue(m.find(), key + " missing");
    String v = m.group(1);
    assertFalse(m.find(), key + " twice");
    return v;
  }

  /**
   * Unpacks a zip as Info-ZIP's unzip does on Unix: the entries, with the permission bits the archive
   * records for them (the upper half of the central directory's external attributes).
   */
  private static void unzipWithModes(Path zip, Path into) throws IOException {
    Map<String, Integer> modes = zipModes(zip);
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        Path out = into.resolve(e.getName()).normalize();
        assertTrue(out.startsWith(into), "entry outside the folder: " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = z.getInputStream(e)) {
          Files.copy(in, out);
        }
        Integer mode = modes.get(e.getName());
        assertTrue(mode != null && mode != 0, "no Unix mode recorded for " + e.getName());
        Files.setPosixFilePermissions(out, permissions(mode));
      }
    }
    assertEquals(0755, modes.get(top() + "/bin/portdoctor") & 0777, "bin/portdoctor's mode in the zip");
    assertEquals(0755, modes.get(top() + "/install.sh") & 0777, "install.sh's mode in the zip");
  }

  /** Entry name to Unix mode, from the zip's central directory. */
  static Map<String, Integer> zipModes(Path zip) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
    int eocd = b.limit() - 22;
    while (eocd >= 0 && b.getInt(eocd) != 0x06054b50) {
      eocd--;
    }
    assertTrue(eocd >= 0, "no end of central directory in " + zip);
    int count = Short.toUnsignedInt(b.getShort(eocd + 10));
    int at = b.getInt(eocd + 16);
    Map<String, Integer> modes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      assertEquals(0x02014b50, b.getInt(at), "central directory entry " + i);
      int nameLen = Short.toUnsignedInt(b.getShort(at + 28));
      int extraLen = Short.toUnsignedInt(b.getShort(at + 30));
      int commentLen = Short.toUnsignedInt(b.getShort(at + 32));
      int external = b.getInt(at + 38);
      byte[] name = new byte[nameLen];
      b.get(at + 46, name);
      modes.put(new String(name, StandardCharsets.UTF_8), external >>> 16);
      at += 46 + nameLen + extraLen + commentLen;
    }
    return modes;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        p.add(order[bit]);
      }
    }
    return p;
  }

  /** Runs a command in dir with this JVM's java as JAVA_HOME; its output, read to the end. */
  private static CliRunner.Result run(Path dir, List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    p.getOutputStream().close();
    FutureTask<byte[]> out = JarRunner.drain(p.getInputStream());
    FutureTask<byte[]> err = JarRunner.drain(p.getErrorStream());
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    return new CliRunner.Result(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
        new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
  }
}
