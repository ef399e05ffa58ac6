package dev.portdoctor.core;

import dev.portdoctor.core.StatsReport.Count;
import dev.portdoctor.core.StatsReport.EndpointUse;
import dev.portdoctor.core.StatsReport.Finding;
import dev.portdoctor.core.StatsReport.Group;
import dev.portdoctor.core.StatsReport.ProcessCount;
import dev.portdoctor.core.StatsReport.Thresholds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code stats} use case: one read of every socket with its owners, then counts and findings. */
public final class SocketStats {
  /** Findings of one kind listed at most; the JSON has all groups. */
  private static final int MAX_FINDINGS = 5;

  private final Platform platform;

  public SocketStats(Platform platform) {
    this.platform = platform;
  }

  public StatsReport compute(Thresholds t) {
    List<SocketEntry> sockets = platform.sockets().snapshot(
        new SocketQuery(EnumSet.allOf(Protocol.class), PortSet.all(), false, true));
    Optional<PortRange> range = platform.facts().ephemeralPortRange();
    Optional<String> twReuse = platform.facts().kernelSetting("net.ipv4.tcp_tw_reuse");
    return compute(sockets, range, twReuse, t);
  }

  /**
   * @param twReuse the value of {@code net.ipv4.tcp_tw_reuse} (0 off, 1 on, 2 loopback only), when known
   */
  StatsReport compute(List<SocketEntry> sockets, Optional<PortRange> range, Optional<String> twReuse, Thresholds t) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, int[]> outgoing = new HashMap<>();
    Map<String, Endpoint> outgoingRemote = new HashMap<>();
    Map<String, int[]> twGroups = new HashMap<>();
    Map<String, Group> twKeys = new HashMap<>();
    Map<Long, int[]> closeWaitByPid = new HashMap<>();
    Map<Long, int[]> socketsByPid = new HashMap<>();
    int timeWait = 0;
    int closeWait = 0;
    // a server's accepted connections share its listening port: they take no ephemeral port, even when
    // the server listens inside the range
    java.util.Set<Integer> listeningPorts = new java.util.HashSet<>();
    for (SocketEntry s : sockets) {
      if (s.protocol() == Protocol.TCP && s.state() == SocketState.LISTEN) {
        listeningPorts.add(s.local().port());
      }
    }
    for (SocketEntry s : sockets) {
      counts.merge(s.protocol().name() + " " + s.state().name(), 1, Integer::sum);
      for (Owner o : s.owners()) {
        socketsByPid.computeIfAbsent(o.pid(), k -> new int[1])[0]++;
      }
      if (s.protocol() != Protocol.TCP || s.remote().isEmpty()) {
        continue;
      }
      Endpoint remote = plain(s.remote().get());
      Endpoint local = plain(s.local());
      boolean ephemeral = range.map(r -> r.contains(s.local().port())).orElse(false)
          && !listeningPorts.contains(s.local().port());
      if (ephemeral && s.state() != SocketState.LISTEN) {
        String key = local.address() + " " + remote;
        outgoing.computeIfAbsent(key, k -> new int[1])[0]++;
        outgoingRemote.put(key, remote);
      }
      if (s.state() == SocketState.TIME_WAIT) {
        timeWait++;
        Group g = ephemeral ? new Group("client", remote, 0) : new Group("server", local, 0);
        String key = g.side() + " " + g.endpoint();
        twGroups.computeIfAbsent(key, k -> new int[1])[0]++;
        twKeys.put(key, g);
      } else if (s.state() == SocketState.CLOSE_WAIT) {
        closeWait++;
        for (Owner o : s.owners()) {
          closeWaitByPid.computeIfAbsent(o.pid(), k -> new int[1])[0]++;
        }
      }
    }

    List<Count> countList = new ArrayList<>();
    counts.forEach((k, v) -> {
      String[] f = k.split(" ");
      countList.add(new Count(Protocol.valueOf(f[0]), SocketState.valueOf(f[1]), v));
    });
    countList.sort(Comparator.comparing(Count::protocol).thenComparing(Count::count, Comparator.reverseOrder()));

    int rangeSize = range.map(PortRange::size).orElse(0);
    List<EndpointUse> uses = new ArrayList<>();
    outgoing.forEach((k, v) -> uses.add(new EndpointUse(k.substring(0, k.indexOf(' ')), outgoingRemote.get(k), v[0],
        rangeSize == 0 ? 0 : 100.0 * v[0] / rangeSize)));
    uses.sort(Comparator.comparingInt(EndpointUse::count).reversed());

    List<Group> groups = new ArrayList<>();
    twGroups.forEach((k, v) -> groups.add(new Group(twKeys.get(k).side(), twKeys.get(k).endpoint(), v[0])));
    groups.sort(Comparator.comparingInt(Group::count).reversed());

    List<ProcessCount> cw = processCounts(closeWaitByPid, Integer.MAX_VALUE);
    List<ProcessCount> top = processCounts(socketsByPid, t.top());

    List<Finding> findings = new ArrayList<>();
    for (Group g : groups) {
      if (g.count() < t.timeWait() || findings.size() >= MAX_FINDINGS) {
        break;
      }
      findings.add(g.side().equals("client")
          ? new Finding("time-wait", g.count(), t.timeWait(), g.count() + " TIME_WAIT connections to " + g.endpoint()
              + ": this machine opens and closes a connection per request",
              "reuse connections (keep-alive, a connection pool); widen net.ipv4.ip_local_port_range"
                  + (twReuse.filter("1"::equals).isPresent() ? "" : "; for clients, net.ipv4.tcp_tw_reuse=1"
                      + twReuse.map(v -> " (now " + v + ")").orElse("") + " lets new connections reuse them safely"),
              Optional.empty(), Optional.of(g.endpoint()))
          : new Finding("time-wait", g.count(), t.timeWait(), g.count() + " TIME_WAIT connections on server port "
              + g.endpoint() + ": the server closes connections first",
              "let clients close first or keep connections alive; they expire after 60 s; a restarted server needs"
                  + " SO_REUSEADDR to bind through them", Optional.empty(), Optional.of(g.endpoint())));
    }
    int closeWaitFindings = 0;
    for (ProcessCount pc : cw) {
      if (pc.count() < t.closeWait() || closeWaitFindings++ >= MAX_FINDINGS) {
        break;
      }
      findings.add(new Finding("close-wait", pc.count(), t.closeWait(), "pid " + pc.process().pid() + " ("
          + pc.process().name() + ") holds " + pc.count() + " CLOSE_WAIT sockets: the peers closed, this program"
          + " never closed its end (a leak)", "fix the code to close sockets it accepted or connected (finally,"
          + " try-with-resources, timeouts); restart the process to release them now",
          Optional.of(pc.process().pid()), Optional.empty()));
    }
    int ephemeralFindings = 0;
    for (EndpointUse u : uses) {
      if (rangeSize == 0 || u.percent() < t.ephemeralPercent() || ephemeralFindings++ >= MAX_FINDINGS) {
        break;
      }
      findings.add(new Finding("ephemeral-ports", u.count(), t.ephemeralPercent(), String.format(java.util.Locale.ROOT,
          "%d connections from %s to %s use %.0f%% of the ephemeral range %s: new ones will fail with"
              + " 'Cannot assign requested address'", u.count(), u.localAddress(), u.remote(), u.percent(), range.get()),
          "reuse connections (keep-alive, a pool); widen net.ipv4.ip_local_port_range; spread over more"
              + " destination addresses or ports", Optional.empty(), Optional.of(u.remote())));
    }
    for (ProcessCount pc : top) {
      if (pc.count() < t.socketsPerProcess()) {
        break;
      }
      findings.add(new Finding("many-sockets", pc.count(), t.socketsPerProcess(), "pid " + pc.process().pid()
          + " (" + pc.process().name() + ") holds " + pc.count() + " sockets", "check it for a socket leak"
          + " (ls -l /proc/" + pc.process().pid() + "/fd); raise its file limit only once that is ruled out",
          Optional.of(pc.process().pid()), Optional.empty()));
    }
    return new StatsReport(countList, sockets.size(), range, uses.subList(0, Math.min(uses.size(), t.top())),
        timeWait, groups.subList(0, Math.min(groups.size(), t.top())), closeWait, cw, top, findings);
  }

  /** {@code ::ffff:127.0.0.1} as {@code 127.0.0.1}: a dual-stack socket's IPv4 peer is the same 4-tuple. */
  static Endpoint plain(Endpoint e) {
    String a = e.address();
    return a.startsWith("::ffff:") && a.indexOf('.') > 0 ? new Endpoint(a.substring(7), e.port()) : e;
  }

  /** The processes by count, most first; only the first {@code limit} are read. */
  private List<ProcessCount> processCounts(Map<Long, int[]> byPid, int limit) {
    List<Map.Entry<Long, int[]>> entries = new ArrayList<>(byPid.entrySet());
    entries.sort(Comparator.comparingInt((Map.Entry<Long, int[]> e) -> e.getValue()[0]).reversed()
        .thenComparingLong(Map.Entry::getKey));
    List<ProcessCount> out = new ArrayList<>();
    for (Map.Entry<Long, int[]> e : entries.subList(0, Math.min(limit, entries.size()))) {
      out.add(new ProcessCount(platform.processes().info(e.getKey()).orElse(ProcessInfo.unknown(e.getKey())),
          e.getValue()[0]));
    }
    return out;
  }
}
