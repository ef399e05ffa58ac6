package dev.portdoctor.render;

import dev.portdoctor.core.NamespaceWho;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.WhoResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Output of {@code who --all-netns}: the sockets of every network namespace, each under its namespace. */
public final class NamespaceReport {
  private NamespaceReport() {}

  /** {@code net:[4026532281] (pid 4242 python3, docker-container web)}; untrusted text escaped. */
  public static String describe(NamespaceWho ns) {
    List<String> parts = new ArrayList<>();
    ns.process().ifPresent(p -> parts.add("pid " + p.pid() + " " + Text.escape(p.name())));
    ns.container().ifPresent(c -> parts.add(Text.escape(c.kind() + " " + c.name())));
    if (ns.current()) {
      parts.add("portdoctor's own");
    }
    return ns.label() + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
  }

  public static void text(PrintWriter out, Style style, int width, List<NamespaceWho> namespaces, List<Integer> ports,
      String protocols) {
    TextReport body = new TextReport(out, style, width);
    for (int i = 0; i < ports.size(); i++) {
      boolean found = false;
      for (NamespaceWho ns : namespaces) {
        WhoResult r = ns.results().get(i);
        if (!r.sockets().isEmpty()) {
          out.println(style.dim("network namespace " + describe(ns)));
          body.who(List.of(r), protocols);
          found = true;
        }
      }
      if (!found) {
        out.println(style.bold("port " + ports.get(i)) + ": nothing holds it in any of " + namespaces.size()
            + " network namespace(s) (" + protocols + ")");
      }
    }
    out.flush();
  }

  /** The {@code who} shape, each socket with a {@code netns} object, plus the namespaces searched. */
  public static Map<String, Object> json(List<NamespaceWho> namespaces, List<Integer> ports) {
    Map<String, Object> m = JsonModel.envelope("who");
    m.put("allNetns", true);
    List<Object> portList = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      List<Object> sockets = new ArrayList<>();
      for (NamespaceWho ns : namespaces) {
        for (SocketReport r : ns.results().get(i).sockets()) {
          Map<String, Object> s = JsonModel.socket(r);
          s.put("netns", ns.inode());
          sockets.add(s);
        }
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("port", ports.get(i));
      p.put("sockets", sockets);
      portList.add(p);
    }
    m.put("ports", portList);
    List<Object> nsList = new ArrayList<>();
    for (NamespaceWho ns : namespaces) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("inode", ns.inode());
      n.put("current", ns.current());
      n.put("pid", ns.process().map(p -> (Object) p.pid()).orElse(null));
      n.put("name", ns.process().map(p -> p.name()).orElse(null));
      n.put("container", ns.container().map(JsonModel::origin).orElse(null));
      nsList.add(n);
    }
    m.put("namespaces", nsList);
    return m;
  }
}
