package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.Pids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill} on real servers that drop privileges, as they run in production: nginx (Debian's
 * nginx-light) and Apache httpd (mpm_prefork), each a root master with two workers of user nobody that
 * all hold the listening socket, and a Node.js server on the dual-stack {@code [::]}. Each listens on
 * a loopback port no other socket uses, with a configuration this test writes into its own
 * directory, in a session of its own; every process of theirs is ended by PID when the test ends.
 *
 * <p>.ci/run installs the servers and sets {@code PORTDOCTOR_REQUIRE_SERVERS=1}, so in CI a missing
 * server fails the test; elsewhere it is skipped with the reason.
 */
@EnabledOnOs(OS.LINUX)
class RealServersIT {
  @TempDir Path dir;

  private static Path require(String what, String... candidates) {
    for (String c : candidates) {
      if (c.contains("/")) {
        if (Files.isExecutable(Path.of(c))) {
          return Path.of(c);
        }
        continue;
      }
      for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
        if (Files.isExecutable(Path.of(d, c))) {
          return Path.of(d, c);
        }
      }
    }
    if ("1".equals(System.getenv("PORTDOCTOR_REQUIRE_SERVERS"))) {
      fail(what + " is not installed, and PORTDOCTOR_REQUIRE_SERVERS=1 (.ci/run installs it)");
    }
    assumeTrue(false, what + " is not installed (.ci/run installs it; apt-get install " + what + ")");
    return null;
  }

  /** A port that no socket of this machine uses, on any address (kill N means every socket on N). */
  private static int unusedPort() {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", Integer.toString(port), "--json");
      if (JsonOut.list(JsonOut.parse(r.out()).get("sockets")).isEmpty()) {
        return port;
      }
    }
    throw new IllegalStateException("no unused port found");
  }

  /** A started server: its master, ended with every descendant by PID when the test is done. */
  private static final class Server implements AutoCloseable {
    final Process master;
    final Path log;

    Server(List<String> command, Path log) {
      this.log = log;
      // in a session of its own: httpd in the foreground signals its whole process group when it stops,
      // which would otherwise be this test's JVM, Maven and the shell (setsid execs in place: same PID)
      List<String> argv = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        argv.add("/usr/bin/setsid");
      }
      argv.addAll(command);
      try {
        this.master = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    long pid() {
      return master.pid();
    }

    List<Long> workers() {
      return ProcessHandle.of(pid()).map(h -> h.children().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /** Waits until the port accepts connections and the master runs {@code workers} children. */
    Server ready(int port, int workers) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        if (!master.isAlive()) {
          fail("the server exited at start: " + text(log));
        }
        if (workers().size() >= workers && connects(port)) {
          return this;
        }
        Pids.sleep(50);
      }
      fail("the server did not come up on port " + port + ": " + text(log));
      return this;
    }

    /**
     * The master first (SIGKILL: it starts no new worker after that; a worker killed before it would
     * be replaced by one this test never saw), then every descendant it had.
     */
    @Override
    public void close() {
      Set<Long> below = new HashSet<>(workers());
      ProcessHandle.of(pid()).ifPresent(h -> h.descendants().forEach(d -> below.add(d.pid())));
      Pids.endOurs(pid());
      for (long p : below) {
        Pids.endOurs(p);
      }
    }
  }

  private static boolean connects(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String text(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private Path write(String name, String content) {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Server nginx(int port) {
    Path nginx = require("nginx-light", "/usr/sbin/nginx", "nginx");
    Path conf = write("nginx.conf", String.join("\n",
        "user nobody nogroup;",
        "worker_processes 2;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("error.log") + ";",
        "daemon off;",
        "events { worker_connections 64; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + dir.resolve("body") + ";",
        "  proxy_temp_path " + dir.resolve("proxy") + ";",
        "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
        "  scgi_temp_path " + dir.resolve("scgi") + ";",
        "  server { listen 127.0.0.1:" + port + "; return 200 \"ok\\n\"; }",
        "}", ""));
    return new Server(List.of(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
        "-c", conf.toString()), dir.resolve("nginx.out")).ready(port, 2);
  }

  private Server httpd(int port) {
    Path apache = require("apache2", "/usr/sbin/apache2", "/usr/sbin/httpd");
    Path modules = Path.of("/usr/lib/apache2/modules");
    assumeTrue(Files.isRegularFile(modules.resolve("mod_mpm_prefork.so")), "no mod_mpm_prefork in " + modules);
    Path conf = write("httpd.conf", String.join("\n",
        "ServerRoot " + dir,
        "ServerName localhost",
        "Listen 127.0.0.1:" + port,
        "LoadModule mpm_prefork_module " + modules.resolve("mod_mpm_prefork.so"),
        "LoadModule authz_core_module " + modules.resolve("mod_authz_core.so"),
        "User nobody",
        "Group nogroup",
        "PidFile " + dir.resolve("httpd.pid"),
        "ErrorLog " + dir.resolve("error.log"),
        "DocumentRoot " + dir,
        "StartServers 2",
        "MinSpareServers 2",
        "MaxSpareServers 3", ""));
    return new Server(List.of(apache.toString(), "-f", conf.toString(), "-DFOREGROUND"), dir.resolve("httpd.out"))
        .ready(port, 2);
  }

  private static Map<String, Object> firstPort(Result r) {
    return JsonOut.list(JsonOut.parse(r.out()).get("ports")).get(0);
  }

  /** As root: the master is asked first and stops its workers; none is refused for being nobody's. */
  private static void rootEndsTheWholeServer(Server server, int port, String name) {
    List<Long> workers = server.workers();
    assertEquals(2, workers.size(), "two workers");
    for (long w : workers) {
      assertEquals("nobody", ProcessHandle.of(w).flatMap(h -> h.info().user()).orElse("?"), "worker " + w);
    }
    String p = Integer.toString(port);
    Result who = CliRunner.run("who", p, "--json");
    assertEquals(0, who.exit(), who::toString);
    List<Long> holders = new ArrayList<>();
    for (Map<String, Object> s : JsonOut.sockets(JsonOut.parse(who.out()))) {
      holders.addAll(JsonOut.pids(s));
    }
    assertTrue(holders.contains(server.pid()) && holders.containsAll(workers), () -> "master and workers hold it\n" + who);

    Result r = CliRunner.run("kill", p, "--tree", "--yes", "--json");
    assertEquals(0, r.exit(), r::toString);
    Map<String, Object> res = firstPort(r);
    assertEquals("freed", res.get("status"), r::toString);
    List<Map<String, Object>> plan = JsonOut.list(res.get("plan"));
    assertTrue(plan.stream().allMatch(t -> t.get("refusal") == null), () -> "nothing refused\n" + r);
    List<Map<String, Object>> outcomes = JsonOut.list(res.get("outcomes"));
    assertEquals(server.pid(), ((Number) outcomes.get(0).get("pid")).longValue(), () -> "the master first\n" + r);
    assertEquals(name, outcomes.get(0).get("name"), r::toString);
    for (Map<String, Object> o : outcomes) {
      assertEquals("stopped", o.get("result"), () -> "stopped by the polite signal, not forced: " + o + "\n" + r);
    }
    assertTrue(Pids.awaitDeath(server.pid(), Duration.ofSeconds(10)), "the master exited");
    for (long w : workers) {
      assertTrue(Pids.awaitDeath(w, Duration.ofSeconds(10)), "worker " + w + " exited");
    }
    assertFalse(connects(port), "nothing accepts on the port");
    assertEquals(0, CliRunner.run("check", p).exit(), "the port is free");
  }

  @Test
  void nginxRootMasterWithNobodyWorkersIsEndedWhole() {
    int port = unusedPort();
    try (Server nginx = nginx(port)) {
      rootEndsTheWholeServer(nginx, port, "nginx");
    }
  }

  @Test
  void apacheHttpdPreforkIsEndedWhole() {
    int port = unusedPort();
    try (Server httpd = httpd(port)) {
      rootEndsTheWholeServer(httpd, port, "apache2");
    }
  }

  @Test
  void asNobodyTheRootMasterIsRefusedByTheKernelAndItsWorkersAreLeftAlone() {
    List<String> nobody = JarRunner.asNobody();
    Path jar = JarRunner.worldReadableJar(dir);
    int port = unusedPort();
    try (Server nginx = nginx(port)) {
      List<Long> workers = nginx.workers();
      Result r = JarRunner.run(JarRunner.Invocation.plain().prefix(nobody).timeout(Duration.ofSeconds(60)), jar,
          "kill", Integer.toString(port), "--yes", "--grace", "0", "--json");
      assertEquals(3, r.exit(), r::toString);
      Map<String, Object> res = firstPort(r);
      assertEquals("denied", res.get("status"), r::toString);
      Map<String, Object> first = JsonOut.list(res.get("plan")).get(0);
      assertEquals(nginx.pid(), ((Number) first.get("pid")).longValue(), () -> "the master leads the plan\n" + r);
      assertEquals("master", first.get("role"), r::toString);
      assertTrue(nginx.master.isAlive(), "the master runs on");
      assertEquals(workers, nginx.workers(), "the same workers: none was ended, none was started anew");
      assertTrue(connects(port), "the port is still served");
    }
  }

  @Test
  void nodeDualStackServerIsEndedAndBothFamiliesAreFree() {
    Path node = require("nodejs", "node", "nodejs");
    int port = unusedPort();
    // listen(port) without a host: Node binds [::] with IPV6_V6ONLY off, which also takes 0.0.0.0:port
    String js = "const s = require('net').createServer(c => c.end()); s.listen(" + port + ", () => "
        + "console.log('READY ' + JSON.stringify(s.address())));";
    try (Server server = new Server(List.of(node.toString(), "-e", js), dir.resolve("node.out")).ready(port, 0)) {
      String p = Integer.toString(port);
      Result check = CliRunner.run("check", p, "--json");
      assertEquals(1, check.exit(), check::toString);
      assertTrue(check.out().contains("\"localAddress\" : \"::\""), () -> "the socket is on [::]\n" + check);
      Result r = CliRunner.run("kill", p, "--yes", "--json");
      assertEquals(0, r.exit(), r::toString);
      Map<String, Object> res = firstPort(r);
      assertEquals("freed", res.get("status"), r::toString);
      assertEquals(server.pid(), ((Number) JsonOut.list(res.get("outcomes")).get(0).get("pid")).longValue());
      assertTrue(Pids.awaitDeath(server.pid(), Duration.ofSeconds(10)));
      Result after = CliRunner.run("check", p, "--json");
      assertEquals(0, after.exit(), after::toString);
      List<Map<String, Object>> probes = JsonOut.list(firstPort(after).get("probes"));
      assertTrue(probes.stream().anyMatch(b -> "0.0.0.0".equals(b.get("address")))
          && probes.stream().anyMatch(b -> "::".equals(b.get("address"))), () -> "both families probed\n" + after);
    }
  }
}
