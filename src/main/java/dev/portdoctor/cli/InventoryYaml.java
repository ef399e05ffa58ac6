package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.os.remote.HostSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * An Ansible YAML inventory, read with SnakeYAML's safe constructor (plain maps, lists and scalars; no
 * tags that make objects). A group is a map with {@code hosts} (name: variables), {@code children}
 * (name: group) and {@code vars}; a child group's vars override its parent's, a host's own override both.
 * This class is loaded only for a YAML file.
 */
final class InventoryYaml {
  private InventoryYaml() {}

  static List<HostSpec> parse(String where, String text) {
    Object root;
    try {
      LoaderOptions opts = new LoaderOptions();
      opts.setMaxAliasesForCollections(50);
      opts.setCodePointLimit(8 * 1024 * 1024);
      root = new Yaml(new SafeConstructor(opts)).load(text);
    } catch (YAMLException e) {
      String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw PortDoctorException.usage("invalid --hosts " + where + ": not a YAML inventory: " + m);
    }
    if (root == null) {
      return List.of();
    }
    if (!(root instanceof Map<?, ?> groups)) {
      throw PortDoctorException.usage("invalid --hosts " + where + ": a YAML inventory is a map of groups (all: ...)");
    }
    Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
    for (Map.Entry<?, ?> g : groups.entrySet()) {
      group(String.valueOf(g.getKey()), g.getValue(), Map.of(), hosts, where, 0);
    }
    List<HostSpec> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : hosts.entrySet()) {
      out.add(Inventory.spec(e.getKey(), e.getValue(), where));
    }
    return out;
  }

  private static void group(String name, Object body, Map<String, String> inherited,
      Map<String, Map<String, String>> hosts, String where, int depth) {
    if (depth > 32) {
      throw PortDoctorException.usage("invalid --hosts " + where + ": groups nested deeper than 32 (a cycle?)");
    }
    if (body == null) {
      return;
    }
    if (!(body instanceof Map<?, ?> m)) {
      throw PortDoctorException.usage("invalid --hosts " + where + ": group " + name + " is not a map of hosts, children"
          + " and vars");
    }
    Map<String, String> vars = new LinkedHashMap<>(inherited);
    if (m.get("vars") instanceof Map<?, ?> v) {
      vars.putAll(strings(v));
    }
    if (m.get("hosts") instanceof Map<?, ?> hs) {
      for (Map.Entry<?, ?> h : hs.entrySet()) {
        Map<String, String> own = new LinkedHashMap<>(vars);
        if (h.getValue() instanceof Map<?, ?> hv) {
          own.putAll(strings(hv));
        }
        for (String expanded : Inventory.expand(String.valueOf(h.getKey()), where, 0)) {
          Map<String, String> prev = hosts.get(expanded);
          if (prev == null) {
            hosts.put(expanded, own);
          } else {
            prev.putAll(own);
          }
          if (hosts.size() > Inventory.MAX_HOSTS) {
            throw PortDoctorException.usage("invalid --hosts " + where + ": more than " + Inventory.MAX_HOSTS + " hosts");
          }
        }
      }
    }
    if (m.get("children") instanceof Map<?, ?> cs) {
      for (Map.Entry<?, ?> c : cs.entrySet()) {
        group(String.valueOf(c.getKey()), c.getValue(), vars, hosts, where, depth + 1);
      }
    }
  }

  private static Map<String, String> strings(Map<?, ?> m) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() != null && !(e.getValue() instanceof Map) && !(e.getValue() instanceof List)) {
        out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
      }
    }
    return out;
  }
}
