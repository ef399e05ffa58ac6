package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.os.remote.HostSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The hosts of {@code --hosts FILE}: a plain list ({@code [user@]host[:port]} a line, {@code #} comments),
 * an Ansible INI inventory ({@code [group]} sections, {@code host ansible_host=... ansible_port=...
 * ansible_user=...}, {@code [group:vars]}, {@code [group:children]}, ranges {@code web[01:20].example.com})
 * or an Ansible YAML inventory ({@code all: hosts: ... children: ...}, read with SnakeYAML, which is
 * loaded only for such a file). Each host comes once, in the order of its first appearance; only the
 * connection variables are read ({@code ansible_host}, {@code ansible_port}, {@code ansible_user} and
 * their old {@code ansible_ssh_*} names).
 */
final class Inventory {
  /** A range expands to at most this many hosts: a typo must not ask a million of them. */
  static final int MAX_HOSTS = 10_000;

  private Inventory() {}

  static List<HostSpec> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw PortDoctorException.usage("cannot read --hosts " + file + ": " + e.getMessage());
    }
    if (isYaml(file, text)) {
      return InventoryYaml.parse(file.toString(), text);
    }
    return parseIni(file.toString(), text);
  }

  /** A .yml/.yaml name, a {@code ---} start, or a first line {@code all:} / {@code group:}. */
  static boolean isYaml(Path file, String text) {
    String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".yml") || n.endsWith(".yaml")) {
      return true;
    }
    for (String raw : text.split("\n")) {
      String l = raw.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      return l.equals("---") || (l.endsWith(":") && !raw.startsWith(" ") && l.indexOf(' ') < 0 && !l.startsWith("["));
    }
    return false;
  }

  /** A plain list or an Ansible INI inventory (a plain list is an INI inventory of ungrouped hosts). */
  static List<HostSpec> parseIni(String where, String text) {
    Map<String, Map<String, String>> hostVars = new LinkedHashMap<>();
    Map<String, List<String>> groupHosts = new LinkedHashMap<>();
    Map<String, Map<String, String>> groupVars = new LinkedHashMap<>();
    String section = "ungrouped";
    String kind = "hosts";
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = stripComment(raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        String name = line.substring(1, line.length() - 1).strip();
        int colon = name.indexOf(':');
        section = colon < 0 ? name : name.substring(0, colon);
        kind = colon < 0 ? "hosts" : name.substring(colon + 1);
        continue;
      }
      if (kind.equals("children")) {
        continue; // the children's own sections list their hosts
      }
      List<String> words = words(line, where, n);
      if (kind.equals("vars")) {
        Map<String, String> kv = keyValues(words, 0, where, n);
        groupVars.computeIfAbsent(section, k -> new LinkedHashMap<>()).putAll(kv);
        continue;
      }
      if (!kind.equals("hosts")) {
        continue;
      }
      Map<String, String> kv = keyValues(words, 1, where, n);
      for (String h : expand(words.get(0), where, n)) {
        hostVars.computeIfAbsent(h, k -> new LinkedHashMap<>()).putAll(kv);
        groupHosts.computeIfAbsent(section, k -> new ArrayList<>()).add(h);
      }
    }
    List<HostSpec> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : hostVars.entrySet()) {
      Map<String, String> vars = new LinkedHashMap<>(groupVars.getOrDefault("all", Map.of()));
      for (Map.Entry<String, List<String>> g : groupHosts.entrySet()) {
        if (g.getValue().contains(e.getKey())) {
          vars.putAll(groupVars.getOrDefault(g.getKey(), Map.of()));
        }
      }
      vars.putAll(e.getValue());
      out.add(spec(e.getKey(), vars, where));
    }
    return out;
  }

  /** A host from its inventory name and connection variables. */
  static HostSpec spec(String name, Map<String, String> vars, String where) {
    String host = first(vars, "ansible_host", "ansible_ssh_host");
    String port = first(vars, "ansible_port", "ansible_ssh_port");
    String user = first(vars, "ansible_user", "ansible_ssh_user");
    if (host == null && port == null && user == null) {
      return HostSpec.parse(name); // a plain line: [user@]host[:port]
    }
    HostSpec base = HostSpec.parse(name);
    OptionalInt p = base.port();
    if (port != null) {
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw PortDoctorException.usage("invalid --hosts " + where + ": host " + name + ": ansible_port '" + port
            + "' is not a port number");
      }
      p = OptionalInt.of(Integer.parseInt(port));
    }
    return new HostSpec(name, user != null ? Optional.of(user) : base.user(), host != null ? host : base.host(), p);
  }

  private static String first(Map<String, String> vars, String a, String b) {
    String v = vars.get(a);
    return v != null ? v : vars.get(b);
  }

  private static String stripComment(String raw) {
    String l = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    String t = l.stripLeading();
    if (t.startsWith("#") || t.startsWith(";")) {
      return "";
    }
    int hash = l.indexOf(" #");
    return hash >= 0 ? l.substring(0, hash) : l;
  }

  /** Words, with quoted values ({@code ansible_user="deploy"}) kept whole. */
  private static List<String> words(String line, String where, int n) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ' ' || c == '\t') {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (quote != 0) {
      throw PortDoctorException.usage("invalid --hosts " + where + ": line " + n + ": a quote is not closed");
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  private static Map<String, String> keyValues(List<String> words, int from, String where, int n) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = from; i < words.size(); i++) {
      String w = words.get(i);
      int eq = w.indexOf('=');
      if (eq <= 0) {
        throw PortDoctorException.usage("invalid --hosts " + where + ": line " + n + ": '" + w
            + "' is not a host variable (name=value); one host a line");
      }
      kv.put(w.substring(0, eq), w.substring(eq + 1));
    }
    return kv;
  }

  /** Ansible's ranges: {@code web[01:20].example.com} (leading zeros kept), {@code db-[a:c]}. */
  static List<String> expand(String pattern, String where, int line) {
    int open = pattern.indexOf('[');
    int close = open < 0 ? -1 : pattern.indexOf(']', open);
    // an IPv6 address in brackets ([::1]:2222) is not a range
    if (open < 0 || close < 0 || pattern.substring(open + 1, close).chars().filter(c -> c == ':').count() != 1
        || !pattern.substring(open + 1, close).matches("[0-9]+:[0-9]+(:[0-9]+)?|[a-z]:[a-z]")) {
      return List.of(pattern);
    }
    String[] r = pattern.substring(open + 1, close).split(":");
    String head = pattern.substring(0, open);
    List<String> out = new ArrayList<>();
    for (String tail : expand(pattern.substring(close + 1), where, line)) {
      if (Character.isLetter(r[0].charAt(0))) {
        for (char c = r[0].charAt(0); c <= r[1].charAt(0); c++) {
          out.add(head + c + tail);
        }
        continue;
      }
      int from = Integer.parseInt(r[0]);
      int to = Integer.parseInt(r[1]);
      if (to < from || to - from >= MAX_HOSTS) {
        throw PortDoctorException.usage("invalid --hosts " + where + ": line " + line + ": range [" + r[0] + ":" + r[1]
            + "] is empty or longer than " + MAX_HOSTS + " hosts");
      }
      int width = r[0].length();
      for (int i = from; i <= to; i++) {
        String num = Integer.toString(i);
        while (r[0].startsWith("0") && num.length() < width) {
          num = "0" + num;
        }
        out.add(head + num + tail);
      }
    }
    return out;
  }
}
