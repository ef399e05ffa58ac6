package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Platform;
import dev.portdoctor.os.jdk.ChannelPortProbe;
import dev.portdoctor.os.jdk.JdkProcessControl;
import dev.portdoctor.os.linux.LinuxSystemFacts;
import dev.portdoctor.os.linux.ProcProcessSource;
import dev.portdoctor.os.linux.ProcSocketSource;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakeDockerEngine;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole CLI on a live holder named {@code docker-proxy} (python3 started through a symlink of that
 * name, so the kernel's comm is {@code docker-proxy}, with docker-proxy's arguments) and a fake Docker
 * Engine on a unix socket serving a real captured container list: {@code who} names the container and
 * {@code check} gives {@code docker stop} as the remedy; {@code kill} refuses to end the forwarder
 * without {@code --force}.
 */
@EnabledOnOs(OS.LINUX)
class DockerProxyIT {
  @TempDir
  Path dir;

  private static final String LISTEN = String.join("\n",
      "import socket, sys",
      "s = socket.socket()",
      "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "s.bind(('127.0.0.1', 0))",
      "s.listen(5)",
      "print('PORT', s.getsockname()[1], flush=True)",
      "print('READY', flush=True)",
      "sys.stdin.read()");

  @Test
  void whoAndCheckNameThePublishingContainer() throws Exception {
    Path real = Path.of(PythonHelper.python()).toRealPath();
    Process probe = new ProcessBuilder(real.toString(), "-c", "import os,sys;print(os.path.realpath(sys.executable))").start();
    Path interpreter = Path.of(new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    probe.waitFor(10, TimeUnit.SECONDS);
    Path proxy = Files.createSymbolicLink(dir.resolve("docker-proxy"), interpreter);
    // SYNTHETIC arguments: the proxy the engine of the compose capture runs for web-2 (8081 -> 172.18.0.2:80)
    Process child = new ProcessBuilder(proxy.toString(), "-c", LISTEN, "-proto", "tcp", "-host-ip", "127.0.0.1",
        "-host-port", "8081", "-container-ip", "172.18.0.2", "-container-port", "80")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (FakeDockerEngine engine = new FakeDockerEngine(dir.resolve("docker.sock"),
        FakeDockerEngine.ok(Fixtures.ownText("docker/containers-json-compose-20.10.2.json")))) {
      BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String port = null;
      String line;
      while ((line = r.readLine()) != null && !line.equals("READY")) {
        if (line.startsWith("PORT ")) {
          port = line.substring(5).trim();
        }
      }
      assertTrue(line != null, "the fake docker-proxy did not start");
      Path proc = Path.of("/proc");
      LinuxSystemFacts facts = new LinuxSystemFacts(proc);
      Platform platform = new Platform("linux", new ProcSocketSource(proc, facts.isRoot(), 2),
          new ProcProcessSource(proc, true, null, engine.socket()), new ChannelPortProbe(), facts, new JdkProcessControl());

      Result who = CliRunner.run(() -> platform, "who", port, "--json");
      assertEquals(0, who.exit(), who::toString);
      Map<String, Object> holder = JsonOut.list(JsonOut.sockets(JsonOut.parse(who.out())).get(0).get("processes")).get(0);
      assertEquals(child.pid(), ((Number) holder.get("pid")).longValue());
      assertEquals("docker-proxy", holder.get("name"));
      Map<String, Object> origin = JsonOut.map(holder.get("origin"));
      assertEquals("docker-container", origin.get("kind"));
      assertEquals("dockercompose_web-2_1", origin.get("name"));
      assertEquals("docker stop dockercompose_web-2_1", origin.get("remedy"));
      assertTrue(((String) origin.get("detail")).contains("21b37c04f71c"), origin::toString);

      Result text = CliRunner.run(() -> platform, "who", port);
      assertTrue(text.out().contains("behind it: docker-container dockercompose_web-2_1"), text::toString);

      Result check = CliRunner.run(() -> platform, "check", port, "--host", "127.0.0.1", "--json");
      Map<String, Object> res = JsonOut.list(JsonOut.parse(check.out()).get("ports")).get(0);
      assertTrue(((String) res.get("remedy")).startsWith("docker stop dockercompose_web-2_1"), res::toString);
      assertEquals(1, engine.requests.size(), "the engine is asked once for the life of the process source (a CLI run makes one)");

      // a container's forwarder is not ended without --force: the container would run on, unreachable
      Result kill = CliRunner.run(() -> platform, "kill", port, "--yes", "--grace", "0");
      assertEquals(3, kill.exit(), kill::toString);
      assertTrue(kill.out().contains("it forwards the port for docker-container dockercompose_web-2_1")
          && kill.out().contains("docker stop dockercompose_web-2_1"), kill::toString);
      assertTrue(child.isAlive(), "the forwarder was not signalled");
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
