package dev.portdoctor.cli;

import dev.portdoctor.core.NamespaceWho;
import dev.portdoctor.core.Origin;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.WhoResult;
import dev.portdoctor.os.linux.NetworkNamespaces;
import dev.portdoctor.os.linux.ProcSocketSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code who --all-netns}: the same question in every network namespace of the host (Linux). The
 * processes of each namespace are grouped by {@code /proc/PID/ns/net}; each namespace's tables are read
 * once from {@code /proc/PID/net}, and its holders are found by the usual walk of every process.
 */
final class NamespaceSearch {
  private static final Path PROC = Path.of("/proc");

  private NamespaceSearch() {}

  static boolean available(Platform p) {
    return p.osName().equals("linux");
  }

  static List<NamespaceWho> who(Platform platform, PortSet ports, Set<Protocol> protocols, boolean allStates) {
    if (!available(platform)) {
      throw PortDoctorException.usage("--all-netns is only available on Linux");
    }
    int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    List<NamespaceWho> out = new ArrayList<>();
    for (NetworkNamespaces.Namespace ns : NetworkNamespaces.list(PROC)) {
      Optional<Path> net = NetworkNamespaces.netDir(PROC, ns);
      if (net.isEmpty()) {
        continue; // its processes exited, or their tables may not be read
      }
      Platform inNs = new Platform(platform.osName(),
          new ProcSocketSource(PROC, net.get(), platform.facts().isPrivileged(), threads),
          platform.processes(), platform.probe(), platform.facts(), platform.control());
      List<WhoResult> results;
      try {
        results = new PortDoctor(inNs).who(ports, protocols, allStates);
      } catch (PortDoctorException e) {
        continue; // the namespace vanished while it was read
      }
      Optional<ProcessInfo> first = Optional.empty();
      for (long pid : ns.pids()) {
        first = platform.processes().info(pid);
        if (first.isPresent()) {
          break;
        }
      }
      Optional<Origin> container = ns.current() ? Optional.empty()
          : first.flatMap(p -> platform.processes().origin(p)).filter(o -> o.kind().endsWith("-container"));
      out.add(new NamespaceWho(ns.inode(), first, container, ns.current(), results));
    }
    return out;
  }

  /** How many other network namespaces this user can see; 0 off Linux. */
  static int others(Platform platform) {
    if (!available(platform)) {
      return 0;
    }
    return (int) NetworkNamespaces.list(PROC).stream().filter(ns -> !ns.current()).count();
  }
}
