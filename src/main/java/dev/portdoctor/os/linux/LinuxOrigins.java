package dev.portdoctor.os.linux;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.Origin;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.ServiceUnit;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.os.CommandRunner;
import dev.portdoctor.os.linux.DockerContainers.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * What is really behind a holder on Linux, cheapest question first:
 *
 * <ul>
 *   <li>a port forwarder of a container engine ({@code docker-proxy}, {@code rootlesskit}, Podman's
 *       {@code conmon}, {@code pasta}, {@code slirp4netns}): the container, from the engine's API on its unix
 *       socket (asked only for such a holder, once per run), else from the forwarder's own arguments;
 *   <li>PID 1 holding a listening socket: the {@code .socket} unit of socket activation, from
 *       {@code systemctl list-sockets} (run only for PID 1);
 *   <li>a process inside a container (host networking), from {@code /proc/PID/cgroup};
 *   <li>a process that a systemd unit started, from {@code /proc/PID/cgroup}: the unit restarts what is killed.
 * </ul>
 */
public final class LinuxOrigins {
  /** Engines answer a container list in milliseconds; a hung daemon must not hang who. */
  static final Duration ENGINE_TIMEOUT = Duration.ofMillis(1500);
  static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(3);

  /** Ancestors that run other people's commands: a unit they live in is not the holder's service. */
  private static final Set<String> LAUNCHERS = Set.of("cron", "crond", "atd", "anacron", "sshd", "login", "su",
      "sudo", "tmux", "tmux: server", "screen", "SCREEN", "gnome-terminal-server", "gnome-terminal-", "konsole",
      "xterm", "terminator", "tilix", "kitty", "alacritty", "wezterm-gui", "foot", "xfce4-terminal", "code");

  private final Path procRoot;
  private final CommandRunner runner;
  private final Path dockerSocket;
  private final Function<Path, DockerEngineClient> clients;
  private final LongFunction<Optional<ProcessInfo>> info;
  private final Map<Path, Optional<List<Container>>> engines = new HashMap<>();
  private List<SystemdSocketsParser.Row> systemdSockets;
  private final Map<Long, CachedOrigin> byCgroup = new HashMap<>();
  /**
   * Descriptions whose names are none of the forwarders' below: for them the origin is the cgroup's
   * alone. {@code list} asks once per socket (6,000 listeners of 50 processes), and the names of one
   * {@link ProcessInfo} instance do not change, so they are looked at once per instance.
   */
  private final Map<ProcessInfo, Boolean> plain = new java.util.IdentityHashMap<>();

  /**
   * @param dockerSocket the rootful Docker Engine's socket ({@code DOCKER_HOST} or {@code /var/run/docker.sock})
   * @param clients makes the API client for a socket (tests point it at a fake engine)
   * @param info reads a process (for parents)
   */
  public LinuxOrigins(Path procRoot, CommandRunner runner, Path dockerSocket, Function<Path, DockerEngineClient> clients,
      LongFunction<Optional<ProcessInfo>> info) {
    this.procRoot = procRoot;
    this.runner = runner;
    this.dockerSocket = dockerSocket;
    this.clients = clients;
    this.info = info;
  }

  /** The rootful engine's socket: {@code DOCKER_HOST=unix:///path} when set, else {@code /var/run/docker.sock}. */
  public static Path defaultDockerSocket(Map<String, String> env) {
    String host = env.getOrDefault("DOCKER_HOST", "");
    return host.startsWith("unix://") ? Path.of(host.substring(7)) : Path.of("/var/run/docker.sock");
  }

  /**
   * @param socket the socket the process holds, when known (its port names the published container)
   */
  public Optional<Origin> find(ProcessInfo p, Optional<SocketEntry> socket) {
    try {
      if (p.pid() != 1 && Boolean.TRUE.equals(plain.get(p))) {
        return cgroupOrigin(p);
      }
      Set<String> names = names(p);
      if (p.pid() != 1) {
        plain.put(p, !(names.contains("docker-proxy") || names.contains("rootlesskit") || names.contains("conmon")
            || names.contains("pasta") || names.contains("pasta.avx2") || names.contains("slirp4netns")));
      }
      if (names.contains("docker-proxy")) {
        return Optional.of(dockerProxy(p, socket));
      }
      if (names.contains("rootlesskit")) {
        return Optional.of(rootless(p, socket, "docker", userSocket(p, "docker.sock")));
      }
      if (names.contains("conmon")) {
        return conmon(p);
      }
      if (names.contains("pasta") || names.contains("pasta.avx2") || names.contains("slirp4netns")) {
        boolean underDocker = ancestorNamed(p, "rootlesskit");
        return Optional.of(underDocker ? rootless(p, socket, "docker", userSocket(p, "docker.sock"))
            : rootless(p, socket, "podman", podmanSocket(p)));
      }
      if (p.pid() == 1 && socket.isPresent() && socket.get().state().isListening()) {
        return socketActivation(socket.get());
      }
      return cgroupOrigin(p);
    } catch (IOException | RuntimeException e) {
      Log.debug(LinuxOrigins.class, () -> "no origin for pid " + p.pid() + ": " + e);
      return Optional.empty();
    }
  }

  /**
   * The origin that {@code /proc/PID/cgroup} tells (a container, a systemd unit), worked out once per
   * process description: {@code list} asks for the origin of each of a process's sockets (6,000
   * listeners of 50 processes: 6,000 reads and parses of the same 50 files), and this part does not
   * depend on the socket. A use case reads each process once and hands the same {@link ProcessInfo} for
   * all its sockets, so the answer is kept for that instance only; the next call (wait polls) works it
   * out again.
   */
  private Optional<Origin> cgroupOrigin(ProcessInfo p) throws IOException {
    CachedOrigin c = byCgroup.get(p.pid());
    if (c != null && c.process() == p) {
      return c.origin();
    }
    String cgroup = ProcFiles.readString(procRoot.resolve(Long.toString(p.pid())).resolve("cgroup"));
    Optional<CgroupParser.ContainerRef> container = CgroupParser.container(cgroup);
    Optional<Origin> origin = container.isPresent() ? Optional.of(inContainer(p, container.get()))
        : CgroupParser.unit(cgroup).flatMap(u -> service(p, u));
    byCgroup.put(p.pid(), new CachedOrigin(p, origin));
    return origin;
  }

  private record CachedOrigin(ProcessInfo process, Optional<Origin> origin) {}

  // ---------------------------------------------------------------- containers

  private Origin dockerProxy(ProcessInfo p, Optional<SocketEntry> socket) {
    Optional<DockerProxyArgs> args = p.commandLine().flatMap(DockerProxyArgs::parse);
    Optional<List<Container>> containers = containers(dockerSocket);
    Optional<Container> c = Optional.empty();
    if (containers.isPresent()) {
      c = args.isPresent() ? DockerContainers.forProxy(containers.get(), args.get())
          : socket.flatMap(s -> DockerContainers.publishing(containers.get(), s.local().port(), proto(s)));
    }
    if (c.isPresent()) {
      return containerOrigin("docker", c.get(), args.map(a -> "forwards to " + a.target()), "");
    }
    int hostPort = args.map(DockerProxyArgs::hostPort).orElse(socket.map(s -> s.local().port()).orElse(0));
    String why = containers.isPresent() ? "no running container publishes it (docker ps)"
        : "the Docker Engine API at " + dockerSocket + " could not be asked";
    String target = args.map(DockerProxyArgs::target).orElse("a container");
    return new Origin("docker-container", args.map(DockerProxyArgs::containerIp).orElse("?"),
        "forwards to " + target + "; " + why,
        "'docker ps --filter publish=" + hostPort + "' names the container; then docker stop NAME");
  }

  private Origin rootless(ProcessInfo p, Optional<SocketEntry> socket, String engine, Path api) {
    Optional<List<Container>> containers = containers(api);
    Optional<Container> c = socket.flatMap(s -> containers.flatMap(
        list -> DockerContainers.publishing(list, s.local().port(), proto(s))));
    String as = p.user().filter(u -> !u.equals("root") && !u.equals("0")).map(u -> " (as user " + u + ")").orElse("");
    if (c.isPresent()) {
      return containerOrigin(engine, c.get(), Optional.of("a rootless " + engine + " container, forwarded by "
          + p.name()), as);
    }
    String port = socket.map(s -> Integer.toString(s.local().port())).orElse("PORT");
    return new Origin(engine + "-container", "?", "a rootless " + engine + " container's published port, forwarded by "
        + p.name() + "; the API at " + api + " could not name it",
        "'" + engine + " ps --filter publish=" + port + "'" + as + " names the container; then " + engine + " stop NAME");
  }

  private Optional<Origin> conmon(ProcessInfo p) {
    List<String> argv = p.commandLine().map(c -> List.of(c.split("\\s+"))).orElse(List.of());
    String name = flag(argv, "-n", "--name");
    String id = flag(argv, "-c", "--cid");
    if (name == null && id == null) {
      return Optional.empty();
    }
    String shown = name != null ? name : id.substring(0, Math.min(12, id.length()));
    String as = p.user().filter(u -> !u.equals("root") && !u.equals("0")).map(u -> " (as user " + u + ")").orElse("");
    return Optional.of(new Origin("podman-container", shown,
        id != null ? "container " + id.substring(0, Math.min(12, id.length())) + ", monitored by conmon" : "monitored by conmon",
        "podman stop " + shown + as));
  }

  private Origin inContainer(ProcessInfo p, CgroupParser.ContainerRef ref) {
    Path api = ref.runtime().equals("docker") ? dockerSocket : podmanSocket(p);
    Optional<Container> c = containers(api).flatMap(list -> DockerContainers.byId(list, ref.id()));
    if (c.isPresent()) {
      return containerOrigin(ref.runtime(), c.get(), Optional.of("the process runs inside it (host networking)"), "");
    }
    String shortId = ref.id().substring(0, 12);
    return new Origin(ref.runtime() + "-container", shortId, "the process runs inside container " + shortId
        + " (from /proc/" + p.pid() + "/cgroup)", ref.runtime() + " stop " + shortId);
  }

  private static Origin containerOrigin(String engine, Container c, Optional<String> extra, String as) {
    StringBuilder detail = new StringBuilder("container ").append(c.shortId());
    if (!c.image().isEmpty()) {
      detail.append(", image ").append(c.image());
    }
    extra.ifPresent(e -> detail.append(", ").append(e));
    String name = c.name().isEmpty() ? c.shortId() : c.name();
    return new Origin(engine + "-container", name, detail.toString(), engine + " stop " + name + as);
  }

  /** One question per socket per run; empty when the engine is absent or does not answer in time. */
  private Optional<List<Container>> containers(Path socket) {
    return engines.computeIfAbsent(socket, s -> clients.apply(s).containers());
  }

  private Path userSocket(ProcessInfo p, String name) {
    return p.uid().isPresent() && p.uid().getAsInt() != 0
        ? Path.of("/run/user/" + p.uid().getAsInt()).resolve(name) : dockerSocket;
  }

  private static Path podmanSocket(ProcessInfo p) {
    return p.uid().isPresent() && p.uid().getAsInt() != 0
        ? Path.of("/run/user/" + p.uid().getAsInt() + "/podman/podman.sock") : Path.of("/run/podman/podman.sock");
  }

  // ---------------------------------------------------------------- systemd

  private Optional<Origin> socketActivation(SocketEntry s) {
    if (systemdSockets == null) {
      systemdSockets = List.of();
      CommandRunner.Output out = runner.run(List.of("systemctl", "list-sockets", "--all", "--no-legend", "--plain",
          "--full", "--no-pager"), SYSTEMCTL_TIMEOUT);
      if (out.exitCode() == 0 && !out.timedOut()) {
        systemdSockets = SystemdSocketsParser.parse(out.stdout());
      } else {
        Log.debug(LinuxOrigins.class, () -> "systemctl list-sockets: exit " + out.exitCode() + " " + out.stderr().strip());
      }
    }
    for (SystemdSocketsParser.Row r : systemdSockets) {
      if (r.endpoint().filter(e -> sameEndpoint(e, s)).isPresent()) {
        List<String> units = new ArrayList<>();
        units.add(r.unit());
        String base = r.unit().substring(0, r.unit().length() - ".socket".length());
        List<String> services = r.activates().isEmpty() ? List.of(base + ".service") : r.activates();
        units.addAll(services);
        return Optional.of(new Origin("systemd-socket", r.unit(), "socket activation: systemd (PID 1) holds "
            + r.listen() + " and starts " + String.join(", ", services) + " on the first connection",
            "systemctl stop " + String.join(" ", units)));
      }
    }
    if (systemdSockets.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Origin("systemd-socket", "?", "PID 1 holds it: socket activation, but no unit of"
        + " 'systemctl list-sockets' lists " + s.local(), "systemctl list-sockets --all names the .socket unit;"
        + " then systemctl stop NAME.socket NAME.service"));
  }

  static boolean sameEndpoint(dev.portdoctor.core.Endpoint listen, SocketEntry s) {
    if (listen.port() != s.local().port()) {
      return false;
    }
    String a = listen.address();
    String b = s.local().address();
    return a.equals(b) || (b.startsWith("::ffff:") && b.substring(7).equals(a))
        || (a.equals("::") && b.equals("0.0.0.0")) || (a.equals("0.0.0.0") && b.equals("::"));
  }

  private Optional<Origin> service(ProcessInfo p, ServiceUnit unit) {
    // A shell, terminal or job runner between the manager and the holder means someone started it by
    // hand inside that unit (a terminal's own unit, cron.service): stopping the unit is not the answer.
    Set<Long> seen = new HashSet<>();
    ProcessInfo cur = p;
    for (int i = 0; i < 32 && cur.parentPid().isPresent(); i++) {
      long ppid = cur.parentPid().getAsLong();
      if (!seen.add(ppid)) {
        break;
      }
      Optional<ProcessInfo> parent = info.apply(ppid);
      if (parent.isEmpty()) {
        break;
      }
      String pn = parent.get().name();
      if (ppid == 1 || (pn.equals("systemd") && unit.userManager())) {
        break; // reached the manager
      }
      if (names(parent.get()).stream().anyMatch(LAUNCHERS::contains)) {
        return Optional.empty();
      }
      cur = parent.get();
    }
    if (unit.name().endsWith(".socket")) {
      String base = unit.name().substring(0, unit.name().length() - 7);
      String ctl = unit.userManager() ? "systemctl --user stop " : "systemctl stop ";
      return Optional.of(new Origin("systemd-socket", unit.name(), "started by socket unit " + unit.name(),
          ctl + unit.name() + " " + base + ".service"));
    }
    return Optional.of(new Origin("systemd-service", unit.name(),
        (unit.userManager() ? "a unit of the user's own systemd manager" : "a systemd service")
            + ": killing pid " + p.pid() + " makes systemd start it again when the unit says Restart=",
        unit.stopCommand()));
  }

  // ---------------------------------------------------------------- helpers

  private boolean ancestorNamed(ProcessInfo p, String name) {
    ProcessInfo cur = p;
    for (int i = 0; i < 8 && cur.parentPid().isPresent(); i++) {
      Optional<ProcessInfo> parent = info.apply(cur.parentPid().getAsLong());
      if (parent.isEmpty()) {
        return false;
      }
      if (names(parent.get()).contains(name)) {
        return true;
      }
      cur = parent.get();
    }
    return false;
  }

  private static String proto(SocketEntry s) {
    return s.protocol() == Protocol.UDP ? "udp" : "tcp";
  }

  /** The process name, the executable's file name and argv[0]'s: never the cut {@code comm} alone. */
  static Set<String> names(ProcessInfo p) {
    Set<String> n = new HashSet<>();
    n.add(p.name());
    p.executable().map(LinuxOrigins::fileName).ifPresent(n::add);
    p.commandLine().map(c -> c.split(" ", 2)[0]).map(LinuxOrigins::fileName).ifPresent(n::add);
    return n;
  }

  private static String fileName(String path) {
    String e = path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
    return e.substring(e.lastIndexOf('/') + 1);
  }

  private static String flag(List<String> argv, String shortFlag, String longFlag) {
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if ((a.equals(shortFlag) || a.equals(longFlag)) && i + 1 < argv.size()) {
        return argv.get(i + 1);
      }
      if (a.startsWith(longFlag + "=")) {
        return a.substring(longFlag.length() + 1);
      }
    }
    return null;
  }
}
