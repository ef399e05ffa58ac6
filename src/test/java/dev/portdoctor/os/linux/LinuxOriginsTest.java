package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Origin;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.CommandRunner;
import dev.portdoctor.testkit.FakeDockerEngine;
import dev.portdoctor.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Origins from real captured texts: the cgroup files are written into a {@code /proc} copy in a temp dir,
 * the Engine API is a fake engine on a unix socket serving a real container list, and {@code systemctl}
 * is replayed from a real {@code list-sockets} capture. The processes themselves are made up here.
 */
class LinuxOriginsTest {
  @TempDir
  Path proc;

  private final Map<Long, ProcessInfo> processes = new HashMap<>();
  private final List<List<String>> commands = new ArrayList<>();

  private ProcessInfo process(long pid, long ppid, String name, String exe, String cmd, int uid, String cgroupFixture)
      throws IOException {
    ProcessInfo p = new ProcessInfo(pid, ppid > 0 ? OptionalLong.of(ppid) : OptionalLong.empty(), name,
        Optional.ofNullable(exe), Optional.ofNullable(cmd), Optional.of(uid == 0 ? "root" : "alice"), OptionalInt.of(uid),
        Optional.empty());
    processes.put(pid, p);
    Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(proc.resolve(pid + "/cgroup"), cgroupFixture == null ? "0::/\n" : Fixtures.ownText("cgroup/" + cgroupFixture));
    return p;
  }

  private LinuxOrigins origins(Path dockerSocket, String listSockets) {
    CommandRunner runner = (argv, timeout) -> {
      commands.add(argv);
      return listSockets == null ? new CommandRunner.Output(1, "", "System has not been booted with systemd", false)
          : new CommandRunner.Output(0, listSockets, "", false);
    };
    return new LinuxOrigins(proc, runner, dockerSocket, s -> new DockerEngineClient(s, Duration.ofSeconds(2)),
        pid -> Optional.ofNullable(processes.get(pid)));
  }

  private static SocketEntry listening(String address, int port) {
    return new SocketEntry(Protocol.TCP, new Endpoint(address, port), Optional.empty(), SocketState.LISTEN,
        OptionalInt.of(0), OptionalLong.of(1234), OwnerStatus.KNOWN, List.of());
  }

  /** SYNTHETIC: the proxy the engine of the compose capture would run for web-1 (8080 -> 172.18.0.3:80). */
  private static final String SYNTHETIC_PROXY = "/usr/bin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080"
      + " -container-ip 172.18.0.3 -container-port 80";

  @Test
  void dockerProxyNamesTheContainerFromTheEngine() throws IOException {
    ProcessInfo proxy = process(4100, 900, "docker-proxy", "/usr/bin/docker-proxy", SYNTHETIC_PROXY, 0, null);
    try (FakeDockerEngine engine = new FakeDockerEngine(proc.resolve("docker.sock"),
        FakeDockerEngine.ok(Fixtures.ownText("docker/containers-json-compose-20.10.2.json")))) {
      LinuxOrigins o = origins(engine.socket(), null);
      Origin origin = o.find(proxy, Optional.of(listening("0.0.0.0", 8080))).orElseThrow();
      assertEquals("docker-container", origin.kind());
      assertEquals("dockercompose_web-1_1", origin.name());
      assertEquals("docker stop dockercompose_web-1_1", origin.remedy());
      assertTrue(origin.detail().contains("5c00f102a174") && origin.detail().contains("nginx:laster")
          && origin.detail().contains("172.18.0.3:80/tcp"), origin::toString);
      o.find(proxy, Optional.of(listening("::", 8080)));
      assertEquals(1, engine.requests.size(), "the engine is asked once per run");
    }
  }

  @Test
  void dockerProxyWithoutEngineSaysWhatItsArgumentsSay() throws IOException {
    String real = Fixtures.ownText("docker/proxy-ps-formac670.txt").lines().findFirst().orElseThrow();
    String cmd = real.substring(real.indexOf("/usr/bin/docker-proxy"));
    ProcessInfo proxy = process(1710, 900, "docker-proxy", "/usr/bin/docker-proxy", cmd, 0, null);
    Origin origin = origins(proc.resolve("absent.sock"), null).find(proxy, Optional.of(listening("0.0.0.0", 8080)))
        .orElseThrow();
    assertEquals("docker-container", origin.kind());
    assertEquals("172.18.0.99", origin.name());
    assertTrue(origin.detail().contains("172.18.0.99:80/tcp"), origin::toString);
    assertTrue(origin.remedy().contains("docker ps --filter publish=8080"), origin::toString);
  }

  @Test
  void socketActivationNamesTheSocketUnit() throws IOException {
    ProcessInfo init = process(1, 0, "init", "/lib/systemd/systemd", "/sbin/init", 0, "v1v2-init-scope-atop284.txt");
    LinuxOrigins o = origins(proc.resolve("absent.sock"), Fixtures.ownText("systemd/list-sockets-dnscrypt.txt"));
    Origin origin = o.find(init, Optional.of(listening("127.0.2.1", 53))).orElseThrow();
    assertEquals("systemd-socket", origin.kind());
    assertEquals("dnscrypt-proxy.socket", origin.name());
    assertEquals("systemctl stop dnscrypt-proxy.socket dnscrypt-proxy.service", origin.remedy());
    assertEquals(List.of("systemctl", "list-sockets", "--all", "--no-legend", "--plain", "--full", "--no-pager"),
        commands.get(0));
    Origin unknown = o.find(init, Optional.of(listening("0.0.0.0", 9999))).orElseThrow();
    assertEquals("?", unknown.name());
    assertEquals(1, commands.size(), "systemctl runs once per run");
  }

  @Test
  void pid1WithoutSystemdHasNoOrigin() throws IOException {
    ProcessInfo init = process(1, 0, "process_api", "/usr/bin/process_api", "process_api", 0, null);
    assertTrue(origins(proc.resolve("absent.sock"), null).find(init, Optional.of(listening("0.0.0.0", 80))).isEmpty());
  }

  @Test
  void aServiceIsStoppedThroughSystemd() throws IOException {
    process(1, 0, "systemd", "/usr/lib/systemd/systemd", "/sbin/init", 0, "v1v2-init-scope-atop284.txt");
    process(1943, 1, "nginx", "/usr/sbin/nginx", "nginx: master process /usr/sbin/nginx", 0, "v2-nginx-service-laurel228.txt");
    ProcessInfo worker = process(1951, 1943, "nginx", "/usr/sbin/nginx", "nginx: worker process", 33,
        "v2-nginx-service-laurel228.txt");
    Origin origin = origins(proc.resolve("absent.sock"), null).find(worker, Optional.of(listening("0.0.0.0", 80)))
        .orElseThrow();
    assertEquals("systemd-service", origin.kind());
    assertEquals("nginx.service", origin.name());
    assertEquals("systemctl stop nginx.service", origin.remedy());
    assertTrue(origin.detail().contains("start it again"), origin::toString);
  }

  @Test
  void aServerStartedInATerminalIsNotTheTerminalsUnit() throws IOException {
    process(1500, 1, "systemd", "/usr/lib/systemd/systemd", "/usr/lib/systemd/systemd --user", 1000, null);
    process(2000, 1500, "gnome-terminal-", "/usr/libexec/gnome-terminal-server", "/usr/libexec/gnome-terminal-server",
        1000, "v1v2-user-service-webkit.txt");
    process(2100, 2000, "bash", "/usr/bin/bash", "bash", 1000, "v1v2-user-service-webkit.txt");
    ProcessInfo dev = process(2200, 2100, "node", "/usr/bin/node", "node server.js", 1000, "v1v2-user-service-webkit.txt");
    assertTrue(origins(proc.resolve("absent.sock"), null).find(dev, Optional.of(listening("127.0.0.1", 3000))).isEmpty());
  }

  @Test
  void aProcessInsideAContainerNamesIt() throws IOException {
    ProcessInfo p = process(300709, 300600, "python3", "/usr/bin/python3", "python3 app.py", 0,
        "v2-docker-scope-procs236.txt");
    Origin origin = origins(proc.resolve("absent.sock"), null).find(p, Optional.of(listening("0.0.0.0", 5000)))
        .orElseThrow();
    assertEquals("docker-container", origin.kind());
    assertEquals("b508e2673897", origin.name());
    assertEquals("docker stop b508e2673897", origin.remedy());
  }

  /** SYNTHETIC: a conmon command line (Podman 4), trimmed to the flags that name the container. */
  private static final String SYNTHETIC_CONMON = "/usr/bin/conmon --api-version 1 -c " + "d".repeat(64) + " -u "
      + "d".repeat(64) + " -r /usr/bin/crun -n web -s -l journald --exit-delay 0";

  @Test
  void conmonNamesThePodmanContainer() throws IOException {
    ProcessInfo p = process(7000, 1, "conmon", "/usr/bin/conmon", SYNTHETIC_CONMON, 1000, null);
    Origin origin = origins(proc.resolve("absent.sock"), null).find(p, Optional.empty()).orElseThrow();
    assertEquals("podman-container", origin.kind());
    assertEquals("web", origin.name());
    assertEquals("podman stop web (as user alice)", origin.remedy());
  }
}
