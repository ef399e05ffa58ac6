package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.portdoctor.render.Text;
import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.Pids;
import dev.portdoctor.testkit.PythonHelper;
import dev.portdoctor.testkit.SocketHolderMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ansible examples (examples/ansible/) run by the real ansible-playbook and ansible against
 * localhost (the inventory's local connection), with the portdoctor of the release archive this build
 * made (its bin/portdoctor, unpacked into a temporary folder; the packaged jar behind a small wrapper
 * when the archive is absent). Ansible gets a home, temporary folders and an empty configuration of
 * its own, so nothing of this machine's Ansible set-up takes part. The ports are held by child
 * processes this test starts, on 127.0.0.1; only those are ended.
 *
 * <p>scripts/test-servers.sh installs ansible-core; with {@code PORTDOCTOR_REQUIRE_SERVERS=1} (.ci/run)
 * a missing ansible-playbook fails the test, elsewhere it is skipped with the reason.
 */
@EnabledOnOs(OS.LINUX)
class AnsiblePlaybookIT {
  private static final Path EXAMPLES = Path.of("examples", "ansible").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir static Path dir;
  private static Path launcher;
  private static Map<String, String> env;

  @BeforeAll
  static void setUp() throws Exception {
    requireOnPath("ansible-playbook");
    requireOnPath("ansible");
    launcher = launcher();
    Path home = Files.createDirectories(dir.resolve("home"));
    Path config = dir.resolve("ansible.cfg");
    Files.writeString(config, "# empty: the defaults, not this machine's /etc/ansible/ansible.cfg\n");
    env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    env.put("ANSIBLE_CONFIG", config.toString());
    env.put("ANSIBLE_HOME", home.resolve(".ansible").toString());
    env.put("ANSIBLE_LOCAL_TEMP", Files.createDirectories(dir.resolve("local-tmp")).toString());
    env.put("ANSIBLE_REMOTE_TEMP", Files.createDirectories(dir.resolve("remote-tmp")).toString());
    env.put("ANSIBLE_NOCOLOR", "1");
    env.put("ANSIBLE_FORCE_COLOR", "0");
    env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
    env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
    env.put("ANSIBLE_STDOUT_CALLBACK", "default");
    // Ansible refuses to start without a UTF-8 locale; C.UTF-8 keeps the messages unlocalised
    env.put("LC_ALL", "C.UTF-8");
    // the archive's launcher takes this java, the one the tests run on
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // for the ad-hoc command, which calls plain 'portdoctor' as the README shows it
    env.put("PATH", launcher.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  private static Path requireOnPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return Path.of(d, tool);
      }
    }
    if ("1".equals(System.getenv("PORTDOCTOR_REQUIRE_SERVERS"))) {
      fail(tool + " is not installed, and PORTDOCTOR_REQUIRE_SERVERS=1 (scripts/test-servers.sh installs ansible-core)");
    }
    assumeTrue(false, tool + " is not installed (scripts/test-servers.sh installs it; apt-get install ansible-core)");
    return null;
  }

  /** bin/portdoctor of the release archive, unpacked; else a wrapper that runs the packaged jar. */
  private static Path launcher() throws Exception {
    Path base = Path.of(System.getProperty("portdoctor.archive", "target/portdoctor-0.1.0-SNAPSHOT"));
    Path tarGz = Path.of(base + ".tar.gz");
    // readable by everyone, for the test that runs portdoctor as user nobody
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path unpacked = Files.createDirectories(dir.resolve("dist"));
    if (Files.isRegularFile(tarGz)) {
      Process tar = new ProcessBuilder("tar", "-xzf", tarGz.toString(), "-C", unpacked.toString())
          .redirectErrorStream(true).start();
      String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar did not finish");
      assertEquals(0, tar.exitValue(), out);
      Path bin = unpacked.resolve(base.getFileName().toString()).resolve("bin/portdoctor");
      assertTrue(Files.isExecutable(bin), bin + " is not in the archive");
      return bin;
    }
    Path jar = JarRunner.worldReadableJar(Files.createDirectories(unpacked.resolve("lib")));
    Path bin = Files.createDirectories(unpacked.resolve("bin")).resolve("portdoctor");
    Files.writeString(bin, "#!/bin/sh\nexec " + shellQuote(ChildJvm.javaBin()) + " -jar " + shellQuote(jar.toString())
        + " \"$@\"\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  /** One argument for /bin/sh, in single quotes (the paths are this test's own, not user text). */
  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Runs an Ansible tool in examples/ansible with the test's environment; ends it (by PID) past the deadline. */
  private static Result run(String... argv) {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(EXAMPLES.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
      p.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FutureTask<byte[]> out = JarRunner.drain(p.getInputStream());
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("did not finish within " + TIMEOUT + ": " + List.of(argv));
      }
      return new Result(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8), "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read the output of " + List.of(argv), e);
    }
  }

  /** ansible-playbook -i inventory.ini PLAYBOOK -e JSON (the extra variables as one JSON argument). */
  private static Result playbook(String playbook, Map<String, Object> vars) {
    try {
      return run("ansible-playbook", "-i", "inventory.ini", playbook, "-e", JSON.std.asString(vars));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port that 'portdoctor free' found free on 0.0.0.0 and ::, outside the ephemeral range. */
  private static int freePort() {
    Result free = CliRunner.run("free", "--json");
    assertEquals(0, free.exit(), free::toString);
    return ((Number) ((List<?>) JsonOut.parse(free.out()).get("ports")).get(0)).intValue();
  }

  /**
   * A child JVM holding 127.0.0.1:P (and starting a child of its own with {@code child=idle}), where
   * no other process uses P on any address: kill P ends every holder of P. P is outside the ephemeral
   * range, so that a process of this machine that binds port 0 does not take it the moment it is
   * freed (free-ports.yml would then rightly fail: the port is held again).
   */
  private static ChildJvm holderAlone(String... more) {
    for (int attempt = 0; attempt < 5; attempt++) {
      List<String> args = new ArrayList<>(List.of("tcp:127.0.0.1:" + freePort()));
      args.addAll(List.of(more));
      ChildJvm h;
      try {
        h = ChildJvm.start(SocketHolderMain.class, args.toArray(String[]::new));
      } catch (IllegalStateException taken) {
        continue; // taken between the look and the bind
      }
      Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", Integer.toString(h.port(0)), "--json");
      List<Long> pids = JsonOut.list(JsonOut.parse(r.out()).get("sockets")).stream()
          .flatMap(s -> JsonOut.pids(s).stream()).toList();
      if (pids.equals(List.of(h.pid()))) {
        return h;
      }
      h.close();
    }
    throw new IllegalStateException("five ports in a row were taken or shared with other processes' sockets");
  }

  @Test
  void checkFailsThePlayAndNamesTheHolder() {
    try (ChildJvm holder = holderAlone()) {
      int port = holder.port(0);
      Result r = playbook("check-ports.yml", Map.of("ports", List.of(port), "portdoctor", launcher.toString()));
      assertEquals(2, r.exit(), r::toString); // ansible-playbook: a host failed
      assertTrue(r.out().contains("TASK [Fail when a port is held]"), r::toString);
      assertTrue(r.out().contains("port " + port + "/tcp on localhost is in-use"), r::toString);
      assertTrue(r.out().contains("pid " + holder.pid() + " (java, user "), r::toString);
      // Java binds 127.0.0.1 through an IPv6 socket: [::ffff:127.0.0.1]
      assertTrue(r.out().contains("127.0.0.1]:" + port + " (LISTEN)") || r.out().contains("127.0.0.1:" + port + " (LISTEN)"),
          r::toString);
      assertTrue(r.out().contains("failed=1"), r::toString);
      assertTrue(Pids.alive(holder.pid()), "check ends nothing");
    }
  }

  @Test
  void checkPassesOnAFreePort() {
    int p = freePort();
    // a string, as '-e ports=N' gives it
    Result r = playbook("check-ports.yml", Map.of("ports", Integer.toString(p), "portdoctor", launcher.toString()));
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("TASK [portdoctor check " + p + "]"), r::toString);
    assertTrue(r.out().contains("ok=1 ") && r.out().contains("failed=0"), r::toString);
    assertTrue(r.out().contains("skipping: [localhost]"), "the fail task is skipped: " + r);
  }

  @Test
  void freeEndsTheTreeAndThePortBindsAgain() throws Exception {
    try (ChildJvm holder = holderAlone("child=idle")) {
      int port = holder.port(0);
      long child = holder.childPid();
      assertTrue(Pids.alive(child));
      Result r = playbook("free-ports.yml", Map.of("ports", List.of(port), "tree", true, "portdoctor", launcher.toString()));
      assertEquals(0, r.exit(), r::toString);
      assertTrue(r.out().contains("TASK [portdoctor kill " + port + " --tree --yes]"), r::toString);
      assertTrue(r.out().contains("port " + port + "/tcp: freed"), r::toString);
      assertTrue(r.out().contains("pid " + holder.pid() + " (java) stopped"), r::toString);
      assertTrue(r.out().contains("pid " + child + " (java) stopped"), "--tree ends the holder's child: " + r);
      assertTrue(r.out().contains("changed=1") && r.out().contains("failed=0"), r::toString);
      assertTrue(holder.process().waitFor(10, TimeUnit.SECONDS), "the holder has exited");
      assertTrue(Pids.awaitDeath(child, Duration.ofSeconds(10)), "its child has exited");
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port)); // throws if still held
        assertEquals(port, s.getLocalPort());
      }
    }
  }

  @Test
  void freeFailsThePlayWhenThePortIsStillHeld() throws Exception {
    List<String> nobody = JarRunner.asNobody(); // skipped unless root: the holder must be out of reach
    Path wrapper = dir.resolve("portdoctor-as-nobody");
    StringBuilder sh = new StringBuilder("#!/bin/sh\nexec");
    for (String a : nobody) {
      sh.append(' ').append(shellQuote(a));
    }
    Files.writeString(wrapper, sh.append(' ').append(shellQuote(launcher.toString())).append(" \"$@\"\n").toString());
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (ChildJvm holder = holderAlone()) {
      int port = holder.port(0);
      Result r = playbook("free-ports.yml", Map.of("ports", List.of(port), "portdoctor", wrapper.toString()));
      assertEquals(2, r.exit(), r::toString);
      assertTrue(r.out().contains("port " + port + "/tcp: denied"), r::toString);
      assertTrue(r.out().contains("TASK [Fail when a port is still held]"), r::toString);
      assertTrue(r.out().contains("port " + port + "/tcp on localhost is still in-use"), r::toString);
      assertTrue(r.out().contains("changed=0") && r.out().contains("failed=1"), r::toString);
      assertTrue(Pids.alive(holder.pid()), "user nobody cannot end root's process");
    }
  }

  @Test
  void theAdHocCommandPrintsWhoseJson() {
    try (ChildJvm holder = holderAlone()) {
      int port = holder.port(0);
      // exactly the README's one-liner, with this test's port; portdoctor is found on the PATH
      Result r = run("ansible", "all", "-i", "inventory.ini", "-m", "ansible.builtin.command",
          "-a", "portdoctor who " + port + " --json");
      assertEquals(0, r.exit(), r::toString);
      String out = r.out();
      assertTrue(out.startsWith("localhost | CHANGED | rc=0 >>\n"), r::toString);
      Map<String, Object> who = JsonOut.parse(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
      assertEquals("who", who.get("command"));
      List<Map<String, Object>> sockets = JsonOut.sockets(who);
      assertEquals(List.of(holder.pid()), JsonOut.pids(sockets.get(0)), r::toString);
      assertEquals("held by pid " + holder.pid() + " (java)", JsonOut.list(who.get("ports")).get(0).get("verdict"));
    }
  }

  @Test
  void aHostileProcessNameReachesTheTerminalDefused() {
    // HostileTextIT's listener: its name (comm) is ESC [31m evil BEL
    try (PythonHelper h = PythonHelper.start(HostileTextIT.LAUNCHER)) {
      String port = h.value("PORT");
      String child = h.value("CHILD");
      Result r = playbook("check-ports.yml", Map.of("ports", List.of(port), "portdoctor", launcher.toString()));
      assertEquals(2, r.exit(), r::toString);
      assertTrue(r.out().contains("pid " + child + " (?[31mevil?, user "), r::toString);
      for (char c : r.out().toCharArray()) {
        assertFalse(c != '\n' && Text.needsEscape(c), () -> "raw control character " + (int) c + " in\n" + r);
      }
    }
  }
}
