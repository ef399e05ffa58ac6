package dev.portdoctor.render;

import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.Holder;
import dev.portdoctor.core.KillOutcome;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.KillTarget;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.WhoResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shape of every command (documented in docs/json.md): ordered maps with stable camelCase
 * names, {@code null} for what is unknown, and a {@code schemaVersion}.
 */
public final class JsonModel {
  /** Bump on any change that can break a reader: a renamed or removed field, a changed type. */
  public static final int SCHEMA_VERSION = 1;

  private JsonModel() {}

  public static Map<String, Object> envelope(String command) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", SCHEMA_VERSION);
    m.put("command", command);
    return m;
  }

  public static Map<String, Object> who(List<WhoResult> results) {
    Map<String, Object> m = envelope("who");
    List<Object> ports = new ArrayList<>();
    for (WhoResult r : results) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("port", r.port());
      p.put("verdict", r.verdict());
      p.put("cause", r.cause().orElse(null));
      p.put("remedy", r.remedy().orElse(null));
      p.put("sockets", sockets(r.sockets()));
      ports.add(p);
    }
    m.put("ports", ports);
    return m;
  }

  /**
   * The sockets are turned into maps one at a time while they are written (a list of tens of thousands
   * of sockets would otherwise exist twice: as reports and as maps).
   */
  public static Map<String, Object> list(List<SocketReport> reports) {
    Map<String, Object> m = envelope("list");
    Iterable<Object> lazy = () -> reports.stream().map(r -> (Object) socket(r)).iterator();
    m.put("sockets", lazy);
    return m;
  }

  public static Map<String, Object> check(List<CheckResult> results) {
    Map<String, Object> m = envelope("check");
    List<Object> ports = new ArrayList<>();
    for (CheckResult r : results) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("port", r.port());
      p.put("protocol", r.protocol().label());
      p.put("verdict", r.verdict().label());
      p.put("cause", r.cause().orElse(null));
      p.put("reason", r.reason());
      p.put("remedy", r.remedy().orElse(null));
      p.put("timeWait", r.timeWait());
      List<Object> warnings = new ArrayList<>();
      for (dev.portdoctor.core.Warning w : r.warnings()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", w.code());
        e.put("message", w.message());
        warnings.add(e);
      }
      p.put("warnings", warnings);
      p.put("probes", probes(r.probes()));
      p.put("sockets", sockets(r.sockets()));
      ports.add(p);
    }
    m.put("ports", ports);
    return m;
  }

  public static Map<String, Object> kill(List<KillReport> reports, boolean dryRun) {
    Map<String, Object> m = envelope("kill");
    m.put("dryRun", dryRun);
    List<Object> ports = new ArrayList<>();
    for (KillReport r : reports) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("port", r.port());
      p.put("protocol", r.protocol().label());
      p.put("status", r.status().label());
      p.put("message", r.message());
      p.put("freeAfter", r.freeAfter().orElse(null));
      List<Object> plan = new ArrayList<>();
      for (KillTarget t : r.plan()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("pid", t.pid());
        e.put("name", t.process().name());
        e.put("user", t.process().user().orElse(null));
        e.put("role", t.role());
        e.put("startTime", t.startTime().map(Object::toString).orElse(null));
        e.put("refusal", t.refusal().orElse(null));
        plan.add(e);
      }
      p.put("plan", plan);
      List<Object> outcomes = new ArrayList<>();
      for (KillOutcome o : r.outcomes()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("pid", o.pid());
        e.put("name", o.name());
        e.put("role", o.role());
        e.put("result", o.result().label());
        e.put("detail", o.detail());
        outcomes.add(e);
      }
      p.put("outcomes", outcomes);
      p.put("respawn", r.respawn().map(JsonModel::respawn).orElse(null));
      p.put("sockets", sockets(r.holders()));
      ports.add(p);
    }
    m.put("ports", ports);
    return m;
  }

  private static Map<String, Object> respawn(KillReport.Respawn r) {
    Map<String, Object> m = process(r.holder().process());
    List<Object> chain = new ArrayList<>();
    for (ProcessInfo a : r.holder().ancestors()) {
      chain.add(brief(a));
    }
    m.put("ancestors", chain);
    m.put("unit", r.unit().orElse(null));
    m.put("remedy", r.remedy());
    return m;
  }

  /** Every trial bind: {address, reuseAddress, outcome, message}. */
  static List<Object> probes(List<ProbeResult> probes) {
    List<Object> out = new ArrayList<>(probes.size());
    for (ProbeResult pr : probes) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("address", pr.address());
      b.put("reuseAddress", pr.reuseAddress());
      b.put("outcome", pr.outcome().label());
      b.put("message", pr.message().orElse(null));
      out.add(b);
    }
    return out;
  }

  static List<Object> sockets(List<SocketReport> reports) {
    List<Object> out = new ArrayList<>(reports.size());
    for (SocketReport r : reports) {
      out.add(socket(r));
    }
    return out;
  }

  /**
   * {@code ipv6} or {@code ipv4}; null for a host name, which a captured table may print in place of
   * the address ({@code lsof} without {@code -n}: {@code localhost} on an IPv6 file is either family).
   */
  static String family(dev.portdoctor.core.Endpoint e) {
    if (e.isIpv6()) {
      return "ipv6";
    }
    String a = e.address();
    for (int i = 0; i < a.length(); i++) {
      if (Character.isLetter(a.charAt(i))) {
        return null;
      }
    }
    return "ipv4";
  }

  static Map<String, Object> socket(SocketReport r) {
    SocketEntry s = r.socket();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", s.protocol().label());
    m.put("family", family(s.local()));
    m.put("localAddress", s.local().address());
    m.put("localPort", s.local().port());
    m.put("remoteAddress", s.remote().map(e -> e.address()).orElse(null));
    m.put("remotePort", s.remote().map(e -> (Object) e.port()).orElse(null));
    m.put("state", s.state().name());
    m.put("uid", s.uid().isPresent() ? s.uid().getAsInt() : null);
    m.put("inode", s.inode().isPresent() ? s.inode().getAsLong() : null);
    m.put("ownerStatus", s.ownerStatus().name().toLowerCase(Locale.ROOT));
    List<Object> procs = new ArrayList<>();
    for (Holder h : r.holders()) {
      Map<String, Object> p = process(h.process());
      p.put("depth", h.depth());
      p.put("services", h.services());
      p.put("note", h.note().orElse(null));
      p.put("origin", h.origin().map(JsonModel::origin).orElse(null));
      List<Object> chain = new ArrayList<>();
      for (ProcessInfo a : h.ancestors()) {
        chain.add(brief(a));
      }
      p.put("ancestors", chain);
      procs.add(p);
    }
    m.put("processes", procs);
    m.put("commonAncestor", r.commonAncestor().map(JsonModel::brief).orElse(null));
    m.put("note", r.note().orElse(null));
    return m;
  }

  static Map<String, Object> process(ProcessInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", p.pid());
    m.put("parentPid", p.parentPid().isPresent() ? p.parentPid().getAsLong() : null);
    m.put("name", p.name());
    m.put("executable", p.executable().orElse(null));
    m.put("commandLine", p.commandLine().orElse(null));
    m.put("user", p.user().orElse(null));
    m.put("uid", p.uid().isPresent() ? p.uid().getAsInt() : null);
    m.put("startTime", p.startTime().map(Object::toString).orElse(null));
    return m;
  }

  static Map<String, Object> origin(dev.portdoctor.core.Origin o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", o.kind());
    m.put("name", o.name());
    m.put("detail", o.detail().isEmpty() ? null : o.detail());
    m.put("remedy", o.remedy());
    return m;
  }

  static Map<String, Object> brief(ProcessInfo p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", p.pid());
    m.put("name", p.name());
    return m;
  }

  // ---------------------------------------------------------------- wait, free (issue 5)

  public static Map<String, Object> waitFor(dev.portdoctor.core.WaitResult r) {
    Map<String, Object> m = envelope("wait");
    m.put("condition", r.condition().label());
    m.put("protocol", r.protocol().label());
    m.put("method", r.method());
    m.put("addresses", new ArrayList<Object>(r.addresses()));
    m.put("outcome", r.outcome().label());
    m.put("timeoutMs", r.timeout().toMillis());
    m.put("intervalMs", r.interval().toMillis());
    m.put("elapsedMs", r.elapsed().toMillis());
    m.put("polls", r.polls());
    List<Object> ports = new ArrayList<>();
    for (dev.portdoctor.core.WaitResult.PortStatus s : r.ports()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("port", s.port());
      p.put("met", s.met());
      p.put("metAfterMs", s.metAfter().map(d -> (Object) d.toMillis()).orElse(null));
      p.put("answeredBy", s.answeredBy().orElse(null));
      List<Object> attempts = new ArrayList<>();
      for (dev.portdoctor.core.ConnectResult c : s.attempts()) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("address", c.address());
        a.put("outcome", c.outcome().label());
        a.put("message", c.message().orElse(null));
        attempts.add(a);
      }
      p.put("attempts", attempts);
      p.put("probes", probes(s.probes()));
      // the same object as one port of 'check', so readers parse it once
      p.put("check", s.check().map(c -> ((List<?>) check(List.of(c)).get("ports")).get(0)).orElse(null));
      p.put("note", s.note().orElse(null));
      ports.add(p);
    }
    m.put("ports", ports);
    return m;
  }

  public static Map<String, Object> free(dev.portdoctor.core.FreeResult r) {
    Map<String, Object> m = envelope("free");
    m.put("protocol", r.protocol().label());
    m.put("addresses", new ArrayList<Object>(r.addresses()));
    m.put("searched", r.searched());
    List<Object> avoided = new ArrayList<>();
    for (dev.portdoctor.core.FreeResult.Avoided a : r.avoided()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("first", a.range().first());
      e.put("last", a.range().last());
      e.put("reason", a.reason());
      avoided.add(e);
    }
    m.put("avoided", avoided);
    m.put("requested", r.requested());
    m.put("tried", r.tried());
    m.put("complete", r.complete());
    m.put("ports", new ArrayList<Object>(r.ports()));
    return m;
  }
}
