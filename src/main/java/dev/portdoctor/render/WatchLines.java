package dev.portdoctor.render;

import dev.portdoctor.core.Holder;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.WatchModel;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code watch} without a terminal: one line per change, {@code + tcp LISTEN 0.0.0.0:8080 pid 123 python3}
 * for a socket that appeared and {@code - ...} for one that closed, or one JSON object per line
 * (docs/json.md). Process names are escaped as everywhere: one change is always one line.
 */
public final class WatchLines {
  private WatchLines() {}

  /** {@code + tcp LISTEN 0.0.0.0:8080 pid 123 python3}. */
  public static String text(WatchModel.Change c) {
    return (c.added() ? "+ " : "- ") + describe(c.report());
  }

  /** {@code tcp LISTEN 0.0.0.0:8080 pid 123 python3}, the socket and who holds it. */
  public static String describe(SocketReport r) {
    SocketEntry s = r.socket();
    StringBuilder sb = new StringBuilder(64);
    sb.append(s.protocol().label()).append(' ').append(s.state().name()).append(' ').append(s.local());
    s.remote().ifPresent(e -> sb.append(" -> ").append(e));
    sb.append(' ').append(owners(r));
    return sb.toString();
  }

  /** {@code pid 123 python3}, {@code pid 9290,9333 python3}, or what stands for an owner not shown. */
  public static String owners(SocketReport r) {
    if (r.holders().isEmpty()) {
      return placeholder(r.socket());
    }
    Set<String> pids = new LinkedHashSet<>();
    Set<String> names = new LinkedHashSet<>();
    for (Holder h : r.holders()) {
      pids.add(Long.toString(h.process().pid()));
      names.add(Text.escape(h.process().name()));
    }
    return "pid " + String.join(",", pids) + " " + String.join(",", names);
  }

  static String placeholder(SocketEntry s) {
    if (s.ownerStatus() == OwnerStatus.HIDDEN) {
      return "hidden" + (s.uid().isPresent() ? " (uid " + s.uid().getAsInt() + ")" : "");
    }
    return s.ownerStatus() == OwnerStatus.NONE ? "no process" : "owner unknown";
  }

  /** One change as one line of compact JSON: {@code {"schemaVersion":1,"command":"watch","event":...}}. */
  public static String json(WatchModel.Change c) {
    Map<String, Object> m = JsonModel.envelope("watch");
    m.put("event", c.added() ? "added" : "removed");
    m.put("time", c.at().toString());
    m.put("socket", JsonModel.socket(c.report()));
    return Json.line(m);
  }
}
