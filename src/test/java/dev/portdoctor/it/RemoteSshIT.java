package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.SocketHolderMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code --on} against a real OpenSSH server that this test starts on 127.0.0.1 (a free port, its own
 * sshd_config with UsePAM no, a host key and user keys made with ssh-keygen in a temporary directory, a
 * client config for {@code --ssh-config} with its own known_hosts). The "hosts" are Host aliases of that
 * client config:
 * <ul>
 *   <li>{@code pd-ok}: a plain login; the remote reads are of sockets this test holds in a child JVM;
 *   <li>{@code pd-noss}, {@code pd-bare}: keys whose authorized_keys entry forces a wrapper that runs the
 *       command with PATH set to a directory of our own without ss ({@code pd-noss}: netstat, bash, no
 *       python3; {@code pd-bare}: lsof only, neither bash nor python3), so the fallbacks run;
 *   <li>{@code pd-password}: a key the server does not accept, where ssh would ask for a password;
 *   <li>{@code pd-down}: a closed port; {@code pd-hang}: a socket that accepts and never says a word.
 * </ul>
 * sshd runs as root (CI does); elsewhere, or without OpenSSH, the test is skipped with the reason, and
 * with {@code PORTDOCTOR_REQUIRE_SERVERS=1} (.ci/run, which installs openssh-server) it fails instead.
 * Only the processes this test starts are ended, by PID.
 */
@EnabledOnOs(OS.LINUX)
class RemoteSshIT {
  private static Path dir;
  private static Process sshd;
  private static ServerSocket hang;
  private static Path config;
  private static final List<Socket> accepted = new ArrayList<>();

  private static void require(boolean ok, String what) {
    if (!ok && "1".equals(System.getenv("PORTDOCTOR_REQUIRE_SERVERS"))) {
      fail(what + ", and PORTDOCTOR_REQUIRE_SERVERS=1 (.ci/run installs openssh-server)");
    }
    assumeTrue(ok, what);
  }

  private static Path which(String name) {
    for (String d : (System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin").split(":")) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", argv));
    assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /**
   * A port below the ephemeral range that no socket of this machine uses, on any address and in any state
   * (the machine is shared: a port free on 127.0.0.1 may be held on [::1] by someone else, and kill P
   * means every listener on P).
   */
  private static int quietPort() {
    java.util.Random random = new java.util.Random();
    for (int i = 0; i < 200; i++) {
      int p = 20000 + random.nextInt(12000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName("::"), p)); // dual-stack: free on every address
      } catch (IOException e) {
        continue;
      }
      Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", Integer.toString(p), "--json");
      if (JsonOut.list(JsonOut.parse(r.out()).get("sockets")).isEmpty()) {
        return p;
      }
    }
    throw new IllegalStateException("no quiet port found");
  }

  /** A child JVM holding 127.0.0.1:P on a quiet port, and only it on that port. */
  private static ChildJvm holder(String... extra) {
    int p = quietPort();
    List<String> args = new ArrayList<>(List.of("tcp:127.0.0.1:" + p));
    args.addAll(List.of(extra));
    ChildJvm h = ChildJvm.start(SocketHolderMain.class, args.toArray(new String[0]));
    Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", Integer.toString(p), "--json");
    List<Long> pids = JsonOut.list(JsonOut.parse(r.out()).get("sockets")).stream()
        .flatMap(x -> JsonOut.pids(x).stream()).toList();
    if (!List.of(h.pid()).containsAll(pids)) {
      h.close();
      assumeTrue(false, "port " + p + " is also used by processes this test did not start " + pids + ": not going on");
    }
    return h;
  }

  /** A directory of symbolic links to these commands only: the PATH of a host without ss. */
  private static Path bin(String name, String... commands) throws IOException {
    Path b = Files.createDirectories(dir.resolve(name));
    for (String c : commands) {
      Path target = which(c);
      if (target != null) {
        Files.createSymbolicLink(b.resolve(c), target.toRealPath());
      }
    }
    return b;
  }

  private static Path wrapper(String name, Path bin) throws IOException {
    Path w = dir.resolve(name + ".sh");
    Files.writeString(w, "#!/bin/sh\nPATH=" + bin + "; export PATH\nexec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n");
    w.toFile().setExecutable(true, false);
    return w;
  }

  @BeforeAll
  static void startSshd() throws Exception {
    Path sshdBin = Path.of("/usr/sbin/sshd");
    require(Files.isExecutable(sshdBin) && which("ssh") != null && which("ssh-keygen") != null,
        "OpenSSH (sshd, ssh, ssh-keygen) is not installed (apt-get install openssh-server openssh-client)");
    require(JarRunner.isRoot(), "sshd must run as root here (CI runs as root)");
    dir = Files.createTempDirectory("pd-sshd");
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host").toString());
    for (String k : List.of("ok", "noss", "bare", "stranger")) {
      run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve(k).toString());
    }
    Path noss = wrapper("noss", bin("bin-noss", "sh", "bash", "ps", "netstat", "uname", "id", "cat", "tr", "sed", "grep",
        "ls", "sleep", "timeout"));
    Path bare = wrapper("bare", bin("bin-bare", "sh", "ps", "lsof", "uname", "id", "cat", "tr", "sed", "grep", "ls",
        "sleep"));
    Files.writeString(dir.resolve("authorized_keys"),
        Files.readString(dir.resolve("ok.pub"))
            + "command=\"" + noss + "\" " + Files.readString(dir.resolve("noss.pub"))
            + "command=\"" + bare + "\" " + Files.readString(dir.resolve("bare.pub")));
    int port = freePort();
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host"), "PidFile " + dir.resolve("sshd.pid"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "UsePAM no", "StrictModes no",
        "PermitRootLogin yes", "PasswordAuthentication yes", "KbdInteractiveAuthentication no", "MaxStartups 64",
        "LogLevel VERBOSE", "") );
    Files.createDirectories(Path.of("/run/sshd"));
    sshd = new ProcessBuilder(sshdBin.toString(), "-D", "-f", dir.resolve("sshd_config").toString(),
        "-E", dir.resolve("sshd.log").toString()).redirectErrorStream(true).start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException e) {
        assertTrue(sshd.isAlive(), "sshd ended: " + readLog());
        Thread.sleep(50);
      }
    }
    hang = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(() -> {
      while (!hang.isClosed()) {
        try {
          accepted.add(hang.accept()); // accepted, never answered
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    int down = freePort();
    String user = System.getProperty("user.name");
    String hostKey = Files.readString(dir.resolve("host.pub")).strip();
    Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey + "\n");
    StringBuilder c = new StringBuilder();
    for (String alias : List.of("ok", "noss", "bare", "stranger")) {
      c.append("Host pd-").append(alias.equals("stranger") ? "password" : alias).append('\n')
          .append("  HostName 127.0.0.1\n  Port ").append(port).append("\n  User ").append(user).append('\n')
          .append("  IdentityFile ").append(dir.resolve(alias)).append("\n  IdentitiesOnly yes\n");
    }
    c.append("Host pd-down\n  HostName 127.0.0.1\n  Port ").append(down).append('\n');
    c.append("Host pd-hang\n  HostName 127.0.0.1\n  Port ").append(hang.getLocalPort()).append('\n');
    c.append("Host *\n  UserKnownHostsFile ").append(dir.resolve("known_hosts")).append('\n')
        .append("  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  ControlMaster no\n");
    config = dir.resolve("ssh_config");
    Files.writeString(config, c.toString());
  }

  private static String readLog() {
    try {
      return Files.readString(dir.resolve("sshd.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.destroy(); // our sshd, by its handle (its PID)
      sshd.waitFor(5, TimeUnit.SECONDS);
    }
    if (hang != null) {
      hang.close();
    }
    for (Socket s : accepted) {
      s.close();
    }
    if (dir != null) {
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f); // keys, config, the PATH directories (links, not their targets)
        }
      }
    }
  }

  private static Result on(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--ssh-config");
    all.add(config.toString());
    Result r = CliRunner.run(all.toArray(new String[0]));
    return r;
  }

  private static Map<String, Object> host(Result r, int i) {
    return JsonOut.list(JsonOut.parse(r.out()).get("hosts")).get(i);
  }

  private static Map<String, Object> result(Result r, int i) {
    return JsonOut.map(host(r, i).get("result"));
  }

  private static Map<String, Object> byPort(List<Map<String, Object>> ports, int port) {
    return ports.stream().filter(p -> ((Number) p.get("port")).intValue() == port).findFirst().orElseThrow();
  }

  @Test
  void whoAndListReadTheHostsSocketTableAndProcesses() {
    try (ChildJvm holder = holder()) {
      String port = Integer.toString(holder.port(0));
      Result r = on("who", port, "--on", "pd-ok", "--json");
      assertEquals(0, r.exit(), r.toString());
      Map<String, Object> h = host(r, 0);
      assertEquals("pd-ok", h.get("host"));
      assertEquals("Linux", h.get("os"));
      assertEquals("ss", h.get("source"));
      assertNull(h.get("error"));
      List<Long> pids = JsonOut.sockets(result(r, 0)).stream().flatMap(s -> JsonOut.pids(s).stream()).toList();
      assertEquals(List.of(holder.pid()), pids, r.toString());

      Result text = on("who", port, "--on", "pd-ok");
      assertEquals(0, text.exit(), text.toString());
      assertTrue(text.out().startsWith("pd-ok (Linux, ss)\n"), text.toString());
      assertTrue(text.out().contains("pid " + holder.pid() + "  java"), text.toString());
      assertEquals("", text.err(), text.toString());

      Result list = on("list", "--port", port, "--on", "pd-ok");
      assertEquals(0, list.exit(), list.toString());
      assertTrue(list.out().contains("127.0.0.1]:" + port + "  LISTEN  " + holder.pid())
          || list.out().contains("127.0.0.1:" + port + "  LISTEN  " + holder.pid()), list.toString());
    }
  }

  @Test
  void checkBindsOnTheHostWithPython3() throws Exception {
    try (ChildJvm holder = holder()) {
      int port = holder.port(0);
      int free = quietPort();
      Result r = on("check", port + "," + free, "--on", "pd-ok", "--json");
      assertEquals(1, r.exit(), r.toString());
      List<Map<String, Object>> ports = JsonOut.list(result(r, 0).get("ports"));
      assumeTrue(String.valueOf(host(r, 0).get("probe")).contains("python3"), "no python3 on the sshd's PATH: " + r);
      assertEquals("in-use", byPort(ports, port).get("verdict"), r.toString());
      assertEquals("free", byPort(ports, free).get("verdict"), r.toString());
      assertFalse(JsonOut.list(byPort(ports, port).get("probes")).isEmpty(), "trial binds are reported: " + r);
    }
  }

  @Test
  void statsCountsTheHostsSockets() {
    try (ChildJvm holder = holder()) {
      Result r = on("stats", "--on", "pd-ok", "--json");
      assertTrue(r.exit() == 0 || r.exit() == 1, r.toString());
      Map<String, Object> res = result(r, 0);
      assertTrue(((Number) res.get("total")).intValue() > 0, r.toString());
    }
  }

  @Test
  void killEndsTheHolderOnTheHostAndTheDryRunShowsTheScript() throws Exception {
    try (ChildJvm holder = holder("ignore-term")) {
      String port = Integer.toString(holder.port(0));
      Result dry = on("kill", port, "--on", "pd-ok", "--dry-run");
      assertEquals(0, dry.exit(), dry.toString());
      assertTrue(dry.out().contains("-- sh -s <<'EOF'"), dry.toString());
      assertTrue(dry.out().contains("if sg " + holder.pid() + " \""), dry.toString());
      assertTrue(holder.process().isAlive(), "a dry run ends nothing");

      Result r = on("kill", port, "--on", "pd-ok", "--yes", "--timeout", "1s", "--grace", "0", "--json");
      assertEquals(0, r.exit(), r.toString());
      Map<String, Object> p = JsonOut.list(result(r, 0).get("ports")).get(0);
      assertEquals("freed", p.get("status"), r.toString());
      Map<String, Object> o = JsonOut.list(p.get("outcomes")).get(0);
      assertEquals(holder.pid(), ((Number) o.get("pid")).longValue());
      assertEquals("forced", o.get("result"), "it ignores SIGTERM, so SIGKILL at the deadline: " + r);
      assertTrue(holder.process().waitFor(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void killWithoutYesOffATerminalRefusesAndEndsNothing() {
    try (ChildJvm holder = holder()) {
      Result r = on("kill", Integer.toString(holder.port(0)), "--on", "pd-ok");
      assertEquals(2, r.exit(), r.toString());
      assertTrue(holder.process().isAlive());
    }
  }

  @Test
  void aHostWithoutSsFallsBackToNetstatAndProbesWithBash() throws Exception {
    try (ChildJvm holder = holder()) {
      String port = Integer.toString(holder.port(0));
      Result r = on("who", port, "--on", "pd-noss", "--json");
      assertEquals(0, r.exit(), r.toString());
      assertEquals("netstat", host(r, 0).get("source"), r.toString());
      assertEquals(List.of(holder.pid()),
          JsonOut.sockets(result(r, 0)).stream().flatMap(s -> JsonOut.pids(s).stream()).toList());

      int free = quietPort();
      Result c = on("check", port + "," + free, "--on", "pd-noss", "--json");
      assertEquals(1, c.exit(), c.toString());
      assertEquals("connect (bash /dev/tcp)", host(c, 0).get("probe"), c.toString());
      List<Map<String, Object>> ports = JsonOut.list(result(c, 0).get("ports"));
      assertEquals("in-use", byPort(ports, holder.port(0)).get("verdict"), c.toString());
      Map<String, Object> f = byPort(ports, free);
      assertEquals("free", f.get("verdict"));
      assertEquals("table-only", f.get("cause"));
      assertTrue(String.valueOf(f.get("reason")).contains("no trial bind was possible"), c.toString());
    }
  }

  @Test
  void aHostWithOnlyLsofAnswersFromItsTable() throws Exception {
    try (ChildJvm holder = holder()) {
      String port = Integer.toString(holder.port(0));
      Result r = on("who", port, "--on", "pd-bare", "--json");
      assertEquals(0, r.exit(), r.toString());
      assertEquals("lsof", host(r, 0).get("source"), r.toString());
      Result c = on("check", port, "--on", "pd-bare");
      assertEquals(1, c.exit(), c.toString());
      assertTrue(c.out().contains("neither python3 nor bash"), c.toString());
    }
  }

  @Test
  void aHostThatIsDownIsAnErrorOfThatHost() {
    long t0 = System.nanoTime();
    Result r = on("who", "80", "--on", "pd-down", "--json");
    assertEquals(6, r.exit(), r.toString());
    Map<String, Object> e = JsonOut.map(host(r, 0).get("error"));
    assertEquals("unreachable", e.get("kind"), r.toString());
    assertTrue(String.valueOf(e.get("message")).contains("Connection refused"), r.toString());
    assertEquals(1, r.err().lines().count(), "one line on stderr: " + r);
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
  }

  @Test
  void aHostThatNeverAnswersHitsTheDeadline() {
    long t0 = System.nanoTime();
    Result r = on("who", "80", "--on", "pd-hang", "--ssh-timeout", "2s");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(6, r.exit(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line on stderr: " + r);
    assertTrue(r.err().contains("pd-hang:"), r.toString());
    assertTrue(r.err().contains("no answer within 2 s") || r.err().contains("timed out"), r.toString());
    assertTrue(ms < 8000, "the deadline holds: " + ms + " ms");
  }

  @Test
  void aHostThatWouldAskForAPasswordIsOneClearLine() {
    Result r = on("who", "80", "--on", "pd-password", "--json");
    assertEquals(6, r.exit(), r.toString());
    assertEquals("auth", JsonOut.map(host(r, 0).get("error")).get("kind"), r.toString());
    List<String> err = r.err().lines().toList();
    assertEquals(1, err.size(), r.toString());
    assertTrue(err.get(0).startsWith("portdoctor: pd-password: ssh cannot log in without a password"), r.toString());
    assertTrue(err.get(0).contains("Permission denied"), r.toString());
  }

  @Test
  void severalHostsGiveOneDocumentWithAResultPerHostInOrder() throws Exception {
    try (ChildJvm holder = holder()) {
      String port = Integer.toString(holder.port(0));
      Path inventory = dir.resolve("inventory.ini");
      Files.writeString(inventory, "# the test's hosts\n[web]\npd-ok\n[db]\npd-noss ansible_user="
          + System.getProperty("user.name") + "\n");
      Result r = on("who", port, "--on", "pd-down", "--hosts", inventory.toString(), "--json");
      assertEquals(6, r.exit(), r.toString());
      List<Map<String, Object>> hosts = JsonOut.list(JsonOut.parse(r.out()).get("hosts"));
      assertEquals(List.of("pd-down", "pd-ok", "pd-noss"), hosts.stream().map(h -> h.get("host")).toList());
      assertEquals(List.of(6, 0, 0), hosts.stream().map(h -> ((Number) h.get("exitCode")).intValue()).toList());
    }
  }
}
