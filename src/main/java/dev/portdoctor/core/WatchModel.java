package dev.portdoctor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code watch} knows between two looks at the socket table: the sockets seen now, the ones that
 * appeared since the last look (new, highlighted for a while), and the ones that closed (kept, fading,
 * for a while), with a count per process. Each {@link #update} compares one snapshot with the last and
 * returns the changes: what closed first (in the order the last look had it), then what appeared (in the
 * snapshot's order).
 *
 * <p>A socket is the same socket from one look to the next when its protocol, local and remote end,
 * state, inode (where the source tells it) and holders' PIDs are the same; any change of those is
 * the old one closing and a new one appearing, which is what a person watching wants to see (a listener
 * re-bound to the same port is a new socket; a holder that forked a worker now shares it).
 */
public final class WatchModel {
  /**
   * What makes a socket the same socket from one look to the next. Tens of thousands are made and looked
   * up per look on a busy machine, so the hash is made once, from numbers only (the addresses' strings
   * are new each look, and hashing them would cost more than the rest of the diff).
   */
  public static final class Key {
    private final Protocol protocol;
    private final Endpoint local;
    private final Optional<Endpoint> remote;
    private final SocketState state;
    private final OptionalLong inode;
    private final long[] pids;
    private final int hash;

    private Key(SocketEntry s) {
      this.protocol = s.protocol();
      this.local = s.local();
      this.remote = s.remote();
      this.state = s.state();
      this.inode = s.inode();
      List<Owner> owners = s.owners();
      this.pids = new long[owners.size()];
      for (int i = 0; i < pids.length; i++) {
        pids[i] = owners.get(i).pid();
      }
      if (pids.length > 1) {
        Arrays.sort(pids);
      }
      long h = inode.isPresent() ? inode.getAsLong() : 0;
      h = h * 31 + local.port();
      h = h * 31 + (remote.isPresent() ? remote.get().port() : -1);
      h = h * 31 + state.hashCode();
      h = h * 31 + protocol.hashCode();
      for (long p : pids) {
        h = h * 31 + p;
      }
      this.hash = Long.hashCode(h);
    }

    static Key of(SocketReport r) {
      return new Key(r.socket());
    }

    /** The PIDs of the holders, sorted. */
    public List<Long> pids() {
      List<Long> l = new ArrayList<>(pids.length);
      for (long p : pids) {
        l.add(p);
      }
      return l;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && inode.equals(k.inode) && local.port() == k.local.port()
          && state == k.state && protocol == k.protocol && Arrays.equals(pids, k.pids)
          && local.address().equals(k.local.address()) && remote.equals(k.remote);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return protocol.label() + " " + state + " " + local + remote.map(e -> " -> " + e).orElse("")
          + " pids " + Arrays.toString(pids);
    }
  }

  /** How a row looks now. */
  public enum Status {
    /** Appeared within the highlight time (never for what the first look found). */
    NEW,
    /** Open. */
    OPEN,
    /** Closed within the fade time: still shown, fading. */
    CLOSED
  }

  /**
   * One socket as {@code watch} shows it.
   *
   * @param since when it was first seen (the first look's time for what was there at the start)
   * @param closedAt when a look no longer found it
   */
  public record Row(Key key, SocketReport report, Instant since, Optional<Instant> closedAt, Status status) {
    /** How far it has faded, from 0 (just closed) to 1 (about to go), or 0 when open. */
    public double fade(Instant now, Duration fadeTime) {
      if (closedAt.isEmpty() || fadeTime.isZero()) {
        return 0;
      }
      double f = (double) Duration.between(closedAt.get(), now).toMillis() / fadeTime.toMillis();
      return Math.max(0, Math.min(1, f));
    }
  }

  /** A socket that appeared ({@code added}) or closed, seen by the look at {@code at}. */
  public record Change(boolean added, SocketReport report, Instant at) {}

  /** How many of the open sockets a process holds. */
  public record ProcessCount(long pid, String name, int sockets) {}

  private static final class Seen {
    final SocketReport report;
    final Instant since;
    final boolean initial;
    Instant closedAt;

    Seen(SocketReport report, Instant since, boolean initial) {
      this.report = report;
      this.since = since;
      this.initial = initial;
    }
  }

  private final Duration highlight;
  private final Duration fade;
  private Map<Key, Seen> open = new LinkedHashMap<>();
  private final Map<Key, Seen> closed = new LinkedHashMap<>();
  private boolean first = true;
  private Instant last;
  private List<ProcessCount> counts;

  /**
   * @param highlight how long a new socket stays marked new
   * @param fade how long a closed socket stays shown after a look no longer found it
   */
  public WatchModel(Duration highlight, Duration fade) {
    this.highlight = highlight;
    this.fade = fade;
  }

  public Duration fadeTime() {
    return fade;
  }

  /** The time of the last look, if any. */
  public Optional<Instant> lastLook() {
    return Optional.ofNullable(last);
  }

  /**
   * Takes the sockets of one look at the table and returns what changed since the last: on the first
   * look, every socket (as added).
   */
  public List<Change> update(List<SocketReport> snapshot, Instant now) {
    List<Change> appeared = new ArrayList<>();
    Map<Key, Seen> next = new LinkedHashMap<>(Math.max(16, snapshot.size() * 4 / 3 + 1));
    for (SocketReport r : snapshot) {
      Key k = Key.of(r);
      Seen before = open.remove(k);
      // the latest details (a process renamed itself), the first time seen
      Seen seen = before != null ? new Seen(r, before.since, before.initial) : new Seen(r, now, first);
      if (next.putIfAbsent(k, seen) != null) {
        continue; // the same socket twice in one table (a source that lists a dual-stack socket twice)
      }
      if (before == null) {
        closed.remove(k); // closed, then back before it faded: a new row
        appeared.add(new Change(true, r, now));
      }
    }
    List<Change> changes = new ArrayList<>(open.size() + appeared.size());
    for (Map.Entry<Key, Seen> e : open.entrySet()) {
      Seen gone = e.getValue();
      gone.closedAt = now;
      closed.put(e.getKey(), gone);
      changes.add(new Change(false, gone.report, now));
    }
    changes.addAll(appeared);
    open = next;
    for (Iterator<Seen> it = closed.values().iterator(); it.hasNext(); ) {
      if (!Duration.between(it.next().closedAt, now).minus(fade).isNegative()) {
        it.remove();
      }
    }
    first = false;
    last = now;
    counts = null;
    return changes;
  }

  /**
   * The open sockets and those still fading: the open ones first, in the order of the last look's
   * snapshot (PortDoctor.list sorts it by port, protocol, family, address), then the closed ones.
   */
  public List<Row> rows(Instant now) {
    List<Row> rows = new ArrayList<>(open.size() + closed.size());
    for (Map.Entry<Key, Seen> e : open.entrySet()) {
      Seen s = e.getValue();
      boolean isNew = !s.initial && Duration.between(s.since, now).compareTo(highlight) < 0;
      rows.add(new Row(e.getKey(), s.report, s.since, Optional.empty(), isNew ? Status.NEW : Status.OPEN));
    }
    for (Map.Entry<Key, Seen> e : closed.entrySet()) {
      Seen s = e.getValue();
      if (Duration.between(s.closedAt, now).compareTo(fade) < 0) {
        rows.add(new Row(e.getKey(), s.report, s.since, Optional.of(s.closedAt), Status.CLOSED));
      }
    }
    return rows;
  }

  /** How many open sockets there are. */
  public int openCount() {
    return open.size();
  }

  /** The processes that hold open sockets, most sockets first (then by PID); made once per look. */
  public List<ProcessCount> processCounts() {
    if (counts == null) {
      counts = countProcesses();
    }
    return counts;
  }

  private List<ProcessCount> countProcesses() {
    Map<Long, int[]> counts = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (Seen s : open.values()) {
      for (Holder h : s.report.holders()) {
        counts.computeIfAbsent(h.process().pid(), p -> new int[1])[0]++;
        names.putIfAbsent(h.process().pid(), h.process().name());
      }
    }
    List<ProcessCount> out = new ArrayList<>(counts.size());
    for (Map.Entry<Long, int[]> e : counts.entrySet()) {
      out.add(new ProcessCount(e.getKey(), names.get(e.getKey()), e.getValue()[0]));
    }
    out.sort((a, b) -> a.sockets() != b.sockets() ? Integer.compare(b.sockets(), a.sockets())
        : Long.compare(a.pid(), b.pid()));
    return out;
  }
}
