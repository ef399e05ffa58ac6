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
  /** What makes a socket the same socket from one look to the next. */
  public record Key(Protocol protocol, Endpoint local, Optional<Endpoint> remote, SocketState state,
      OptionalLong inode, List<Long> pids) {
    public Key {
      pids = List.copyOf(pids);
    }

    static Key of(SocketReport r) {
      SocketEntry s = r.socket();
      List<Long> pids;
      if (s.owners().size() == 1) {
        pids = List.of(s.owners().get(0).pid());
      } else {
        long[] sorted = new long[s.owners().size()];
        for (int i = 0; i < sorted.length; i++) {
          sorted[i] = s.owners().get(i).pid();
        }
        Arrays.sort(sorted);
        List<Long> l = new ArrayList<>(sorted.length);
        for (long p : sorted) {
          l.add(p);
        }
        pids = l;
      }
      return new Key(s.protocol(), s.local(), s.remote(), s.state(), s.inode(), pids);
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
      if (next.containsKey(k)) {
        continue; // the same socket twice in one table (a source that lists a dual-stack socket twice)
      }
      Seen before = open.remove(k);
      if (before != null) {
        next.put(k, new Seen(r, before.since, before.initial)); // the latest details (a renamed process)
      } else {
        closed.remove(k); // closed, then back before it faded: a new row
        next.put(k, new Seen(r, now, first));
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
    return changes;
  }

  /** The open sockets and those still fading, open ones first, each in the order it was seen. */
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

  /** The processes that hold open sockets, most sockets first (then by PID). */
  public List<ProcessCount> processCounts() {
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
