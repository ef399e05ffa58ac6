package dev.portdoctor.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a socket's owner PIDs into holders with their parent chains, ordered as a tree. Process details
 * are read once per PID per call.
 */
final class HolderResolver {
  /** Parent chains are cut here, against cycles in a table that changed under our feet. */
  private static final int MAX_CHAIN = 64;

  private final ProcessSource processes;
  private final boolean privileged;
  private final Map<Long, Optional<ProcessInfo>> cache = new HashMap<>();
  private final Map<ProcessInfo, List<ProcessInfo>> chainCache = new java.util.IdentityHashMap<>();

  /**
   * @param privileged whether this process runs as root (it changes what to say about hidden owners)
   */
  HolderResolver(ProcessSource processes, boolean privileged) {
    this.processes = processes;
    this.privileged = privileged;
  }

  Optional<ProcessInfo> info(long pid) {
    return cache.computeIfAbsent(pid, processes::info);
  }

  /** {@link #ancestors}, worked out once per process (a process with 1,000 sockets has one chain). */
  private List<ProcessInfo> chain(ProcessInfo p) {
    List<ProcessInfo> c = chainCache.get(p);
    if (c == null) {
      c = List.copyOf(ancestors(p));
      chainCache.put(p, c);
    }
    return c;
  }

  /** Parent first, up to and including PID 1 (or the last process that could be read). */
  List<ProcessInfo> ancestors(ProcessInfo p) {
    List<ProcessInfo> chain = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    seen.add(p.pid());
    ProcessInfo cur = p;
    while (cur.parentPid().isPresent() && chain.size() < MAX_CHAIN) {
      long ppid = cur.parentPid().getAsLong();
      if (ppid <= 0 || !seen.add(ppid)) {
        break;
      }
      Optional<ProcessInfo> parent = info(ppid);
      if (parent.isEmpty()) {
        chain.add(ProcessInfo.unknown(ppid));
        break;
      }
      chain.add(parent.get());
      cur = parent.get();
    }
    return chain;
  }

  SocketReport report(SocketEntry socket) {
    if (socket.owners().size() == 1) {
      // the common case, thousands of times in a busy list: one holder, no tree, no common ancestor
      Owner o = socket.owners().get(0);
      ProcessInfo p = info(o.pid()).orElseGet(() -> withHint(ProcessInfo.unknown(o.pid()), o));
      return new SocketReport(socket, List.of(holder(socket, p, chain(p), 0)), Optional.empty(), Optional.empty());
    }
    List<Long> pids = new ArrayList<>();
    for (Owner o : socket.owners()) {
      if (!pids.contains(o.pid())) {
        pids.add(o.pid());
      }
    }
    Map<Long, ProcessInfo> infos = new HashMap<>();
    Map<Long, List<ProcessInfo>> chains = new HashMap<>();
    for (Owner o : socket.owners()) {
      ProcessInfo p = info(o.pid()).orElseGet(() -> withHint(ProcessInfo.unknown(o.pid()), o));
      infos.put(o.pid(), p);
      chains.put(o.pid(), chain(p));
    }
    Set<Long> holderSet = new HashSet<>(pids);
    // nearest ancestor that is itself a holder of this socket
    Map<Long, Long> holderParent = new HashMap<>();
    for (long pid : pids) {
      for (ProcessInfo a : chains.get(pid)) {
        if (holderSet.contains(a.pid())) {
          holderParent.put(pid, a.pid());
          break;
        }
      }
    }
    List<Holder> ordered = new ArrayList<>(pids.size());
    pids.sort(Long::compare);
    for (long pid : pids) {
      if (!holderParent.containsKey(pid)) {
        addTree(socket, pid, 0, pids, holderParent, infos, chains, ordered);
      }
    }
    // a cycle (a table that changed mid-read) leaves holders unplaced: keep them, flat
    for (long pid : pids) {
      if (ordered.stream().noneMatch(h -> h.process().pid() == pid)) {
        ordered.add(holder(socket, infos.get(pid), chains.get(pid), 0));
      }
    }
    return new SocketReport(socket, ordered, commonAncestor(pids, infos, chains),
        ordered.isEmpty() ? Optional.of(note(socket)) : Optional.empty());
  }

  /** Why a socket shows no holder. */
  String note(SocketEntry s) {
    String uid = s.uid().isPresent() ? "uid " + s.uid().getAsInt() : "another user";
    switch (s.ownerStatus()) {
      case NONE:
        return s.state() == SocketState.TIME_WAIT
            ? "no owner process (TIME_WAIT: the kernel keeps it until it expires)"
            : "no owner process (the kernel holds it: a connection not yet accepted, or one being closed)";
      case HIDDEN:
        return privileged
            ? "held by a process of " + uid + " whose file descriptors the OS does not let even root read "
                + "(a sandbox or security policy)"
            : "held by a process of " + uid + " that this user cannot inspect; run with sudo to see it";
      case UNKNOWN:
      default:
        return s.inode().isPresent()
            ? "owner not found (it may have exited during the scan)"
            : "the socket table does not name the owner";
    }
  }

  /** A holder with what its PID alone does not say: hosted services, the Windows kernel. */
  private Holder holder(SocketEntry socket, ProcessInfo p, List<ProcessInfo> chain, int depth) {
    String name = p.name().toLowerCase(java.util.Locale.ROOT);
    List<String> services = name.equals("svchost.exe") || name.equals("svchost")
        ? processes.services(p.pid()) : List.of();
    Optional<String> note = Optional.empty();
    if (p.pid() == 4 && name.equals("system")) {
      note = Optional.of("PID 4 is the Windows kernel: on ports 80 and 443 (and others) the HTTP driver http.sys"
          + " listens for a Windows service or IIS; 'netsh http show servicestate' names it, stop that service");
    }
    return new Holder(p, chain, depth, services, note, processes.origin(p, socket));
  }

  private static ProcessInfo withHint(ProcessInfo p, Owner o) {
    if (o.nameHint().isEmpty()) {
      return p;
    }
    return new ProcessInfo(p.pid(), p.parentPid(), o.nameHint().get(), p.executable(), p.commandLine(),
        p.user(), p.uid(), p.startTime());
  }

  private void addTree(SocketEntry socket, long pid, int depth, List<Long> pids, Map<Long, Long> holderParent,
      Map<Long, ProcessInfo> infos, Map<Long, List<ProcessInfo>> chains, List<Holder> out) {
    if (depth > MAX_CHAIN) {
      return;
    }
    out.add(holder(socket, infos.get(pid), chains.get(pid), depth));
    for (long child : pids) {
      Long hp = holderParent.get(child);
      if (hp != null && hp == pid) {
        addTree(socket, child, depth + 1, pids, holderParent, infos, chains, out);
      }
    }
  }

  /** With two or more holders: the nearest process (a holder or not) in every holder's line. */
  private static Optional<ProcessInfo> commonAncestor(List<Long> pids, Map<Long, ProcessInfo> infos,
      Map<Long, List<ProcessInfo>> chains) {
    if (pids.size() < 2) {
      return Optional.empty();
    }
    List<ProcessInfo> first = lineage(infos.get(pids.get(0)), chains.get(pids.get(0)));
    for (ProcessInfo candidate : first) {
      boolean inAll = true;
      for (int i = 1; i < pids.size() && inAll; i++) {
        long c = candidate.pid();
        inAll = lineage(infos.get(pids.get(i)), chains.get(pids.get(i))).stream().anyMatch(p -> p.pid() == c);
      }
      if (inAll) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static List<ProcessInfo> lineage(ProcessInfo self, List<ProcessInfo> ancestors) {
    List<ProcessInfo> l = new ArrayList<>(ancestors.size() + 1);
    l.add(self);
    l.addAll(ancestors);
    return l;
  }
}
