package dev.portdoctor.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tools of {@code portdoctor mcp}: their names, descriptions and JSON schemas for
 * {@code tools/list}, and the translation of a call's arguments into the command line of the same
 * command ({@code who 3000 --json}). Arguments are checked here, by type, and turned into separate
 * words with attached values ({@code --timeout=5s}), so a value can never be read as another option.
 */
final class McpTools {
  private McpTools() {}

  /** A call's arguments do not fit the tool's schema: a tool error for the client, not a crash. */
  static final class BadArguments extends Exception {
    private static final long serialVersionUID = 1L;

    BadArguments(String message) {
      super(message);
    }
  }

  static final List<String> NAMES = List.of("check", "who", "list", "free", "wait", "kill");

  private static final Pattern DURATION = Pattern.compile("[0-9]{1,9}(ms|s|m|h)?");
  private static final Pattern PORT_SET = Pattern.compile("[0-9]{1,5}(-[0-9]{1,5})?(,[0-9]{1,5}(-[0-9]{1,5})?)*");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[][A-Za-z0-9.:%_\\[\\]-]{0,252}");
  private static final int MAX_COUNT = 1000;

  /** The tool list for {@code tools/list}; without kill when read-only. */
  static List<Map<String, Object>> definitions(boolean readOnly) {
    List<Map<String, Object>> tools = new ArrayList<>();
    tools.add(tool("check",
        "Is a port free? A real trial bind (as a server would) on 0.0.0.0 and :: or the given hosts; when it "
            + "is in use, who holds it and why. Same JSON as 'portdoctor check --json'.",
        props(port(), hosts(), udp(), bool("strict", "Bind without SO_REUSEADDR: TIME_WAIT connections make the port in use.")),
        "port"));
    tools.add(tool("who",
        "Who holds a port: PID, name, command line, user, start time, parent chain and socket of every process "
            + "holding it. Same JSON as 'portdoctor who --json'.",
        props(port(), udp(), bool("all", "Every state (ESTABLISHED, TIME_WAIT...), not only listening sockets.")),
        "port"));
    tools.add(tool("list",
        "The listening sockets of this host with their processes (optionally only one port or one PID). "
            + "Same JSON as 'portdoctor list --json'.",
        props(prop("port", integer("Only this port", 1, 65535)), prop("pid", integer("Only sockets this process holds", 1, Long.MAX_VALUE)),
            udp(), bool("all", "Every state, not only listening sockets.")),
        null));
    tools.add(tool("free",
        "Give free ports, each confirmed by a trial bind, avoiding well-known and ephemeral ports unless a range "
            + "is given. Same JSON as 'portdoctor free --json'.",
        props(prop("count", integer("How many ports (default 1)", 1, MAX_COUNT)),
            prop("range", string("Take the ports from here: 8000-8999, or lists 8080,9000-9099")), hosts(), udp()),
        null));
    tools.add(tool("wait",
        "Wait until something listens on a port (default), or until it is free; gives up after a timeout "
            + "(default 30s). Same JSON as 'portdoctor wait --json'.",
        props(port(), bool("free", "Wait until the port is free instead."), hosts(),
            prop("timeout", string("Give up after this long: 500ms, 30s, 2m (default 30s)")), udp()),
        "port"));
    if (!readOnly) {
      tools.add(tool("kill",
          "Free a port: end the processes holding it, politely first, then by force, and verify with a trial bind. "
              + "Ends nothing unless confirm is true. Never ends PID 0 or 1, portdoctor or its ancestors (the "
              + "client that started this server); critical system processes only with force. Same JSON as "
              + "'portdoctor kill --json'.",
          props(port(), bool("confirm", "Must be true: the caller confirms the processes may be ended."),
              bool("dry_run", "Show the plan; end nothing (confirm not needed)."),
              bool("tree", "Also end every descendant of each holder."),
              bool("force", "Also end critical system processes and container port forwarders."),
              prop("timeout", string("How long to wait for the polite stop before forcing (default 5s)")), udp()),
          "port"));
    }
    return tools;
  }

  /**
   * The command line for a call: the tool's command, its arguments and {@code --json}.
   *
   * @throws BadArguments when an argument is missing, unknown, of the wrong type or out of range, or
   *     kill is called without {@code confirm: true}
   */
  static List<String> commandLine(String tool, Map<String, Object> args) throws BadArguments {
    List<String> cl = new ArrayList<>();
    cl.add(tool);
    switch (tool) {
      case "check" -> {
        known(args, "port", "hosts", "udp", "strict");
        cl.add(Integer.toString(port(args, "port", true)));
        hostOptions(args, cl);
        flag(args, "udp", "--udp", cl);
        flag(args, "strict", "--strict", cl);
      }
      case "who" -> {
        known(args, "port", "udp", "all");
        cl.add(Integer.toString(port(args, "port", true)));
        flag(args, "udp", "--udp", cl);
        flag(args, "all", "--all", cl);
      }
      case "list" -> {
        known(args, "port", "pid", "udp", "all");
        int port = port(args, "port", false);
        if (port > 0) {
          cl.add("--port=" + port);
        }
        long pid = integer(args, "pid", 1, Long.MAX_VALUE, 0);
        if (pid > 0) {
          cl.add("--pid=" + pid);
        }
        flag(args, "udp", "--udp", cl);
        flag(args, "all", "--all", cl);
      }
      case "free" -> {
        known(args, "count", "range", "hosts", "udp");
        cl.add("--count=" + integer(args, "count", 1, MAX_COUNT, 1));
        String range = string(args, "range", PORT_SET, "a port, a range 8000-8999 or a list 8080,9000-9099");
        if (range != null) {
          cl.add("--range=" + range);
        }
        hostOptions(args, cl);
        flag(args, "udp", "--udp", cl);
      }
      case "wait" -> {
        known(args, "port", "free", "hosts", "timeout", "udp");
        cl.add(Integer.toString(port(args, "port", true)));
        cl.add(bool(args, "free") ? "--free" : "--listening");
        hostOptions(args, cl);
        timeout(args, cl);
        flag(args, "udp", "--udp", cl);
      }
      case "kill" -> {
        known(args, "port", "confirm", "dry_run", "tree", "force", "timeout", "udp");
        cl.add(Integer.toString(port(args, "port", true)));
        boolean dryRun = bool(args, "dry_run");
        if (dryRun) {
          cl.add("--dry-run");
        } else if (!bool(args, "confirm")) {
          throw new BadArguments("kill ends processes: call it again with \"confirm\": true once the user agrees"
              + " (or \"dry_run\": true to see the plan); nothing was ended");
        } else {
          cl.add("--yes");
        }
        flag(args, "tree", "--tree", cl);
        flag(args, "force", "--force", cl);
        timeout(args, cl);
        flag(args, "udp", "--udp", cl);
      }
      default -> throw new IllegalArgumentException("no tool " + tool);
    }
    cl.add("--json");
    return cl;
  }

  private static void known(Map<String, Object> args, String... names) throws BadArguments {
    List<String> allowed = List.of(names);
    for (String k : args.keySet()) {
      if (!allowed.contains(k)) {
        throw new BadArguments("unknown argument '" + k + "': expected " + String.join(", ", allowed));
      }
    }
  }

  private static int port(Map<String, Object> args, String name, boolean required) throws BadArguments {
    if (required && args.get(name) == null) {
      throw new BadArguments("missing argument '" + name + "': a port number 1-65535");
    }
    return (int) integer(args, name, 1, 65535, 0);
  }

  private static long integer(Map<String, Object> args, String name, long min, long max, long absent)
      throws BadArguments {
    Object v = args.get(name);
    if (v == null) {
      return absent;
    }
    long n;
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      n = ((Number) v).longValue();
    } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      n = d.longValue();
    } else {
      throw new BadArguments("invalid " + name + " " + describe(v) + ": expected an integer " + min + " to " + max);
    }
    if (n < min || n > max) {
      throw new BadArguments("invalid " + name + " " + n + ": expected " + min + " to " + max);
    }
    return n;
  }

  private static boolean bool(Map<String, Object> args, String name) throws BadArguments {
    Object v = args.get(name);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new BadArguments("invalid " + name + " " + describe(v) + ": expected true or false");
  }

  private static void flag(Map<String, Object> args, String name, String option, List<String> cl) throws BadArguments {
    if (bool(args, name)) {
      cl.add(option);
    }
  }

  private static String string(Map<String, Object> args, String name, Pattern pattern, String expected)
      throws BadArguments {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !pattern.matcher(s).matches()) {
      throw new BadArguments("invalid " + name + " " + describe(v) + ": expected " + expected);
    }
    return s;
  }

  private static void timeout(Map<String, Object> args, List<String> cl) throws BadArguments {
    String t = string(args, "timeout", DURATION, "a duration such as 500ms, 30s or 2m");
    if (t != null) {
      cl.add("--timeout=" + t);
    }
  }

  private static void hostOptions(Map<String, Object> args, List<String> cl) throws BadArguments {
    Object v = args.get("hosts");
    if (v == null) {
      return;
    }
    if (!(v instanceof List<?> list) || list.isEmpty() || list.size() > 16) {
      throw new BadArguments("invalid hosts " + describe(v) + ": expected a list of 1 to 16 addresses or names");
    }
    for (Object h : list) {
      if (!(h instanceof String s) || !HOST.matcher(s).matches()) {
        throw new BadArguments("invalid host " + describe(h) + ": expected an IP address or a host name");
      }
      cl.add("--host=" + s);
    }
  }

  /** A value for a message: a short, printable rendering of what the client sent. */
  private static String describe(Object v) {
    String s = v instanceof String str ? "'" + str + "'" : String.valueOf(v);
    return dev.portdoctor.render.Text.escape(s.length() > 60 ? s.substring(0, 60) + "..." : s);
  }

  private static Map<String, Object> tool(String name, String description, Map<String, Object> properties,
      String required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (required != null) {
      schema.put("required", List.of(required));
    }
    schema.put("additionalProperties", false);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("description", description);
    t.put("inputSchema", schema);
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put("readOnlyHint", !name.equals("kill"));
    annotations.put("destructiveHint", name.equals("kill"));
    t.put("annotations", annotations);
    return t;
  }

  @SafeVarargs
  private static Map<String, Object> props(Map.Entry<String, Map<String, Object>>... entries) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> e : entries) {
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }

  private static Map.Entry<String, Map<String, Object>> prop(String name, Map<String, Object> schema) {
    return Map.entry(name, schema);
  }

  private static Map.Entry<String, Map<String, Object>> port() {
    return prop("port", integer("The port, 1-65535", 1, 65535));
  }

  private static Map.Entry<String, Map<String, Object>> udp() {
    return bool("udp", "UDP instead of TCP.");
  }

  private static Map.Entry<String, Map<String, Object>> hosts() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "array");
    m.put("items", Map.of("type", "string"));
    m.put("description", "Trial-bind these addresses instead of 0.0.0.0 and :: (IP addresses or names).");
    return prop("hosts", m);
  }

  private static Map.Entry<String, Map<String, Object>> bool(String name, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "boolean");
    m.put("description", description);
    return prop(name, m);
  }

  private static Map<String, Object> integer(String description, long min, long max) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "integer");
    m.put("minimum", min);
    if (max < Long.MAX_VALUE) {
      m.put("maximum", max);
    }
    m.put("description", description);
    return m;
  }

  private static Map<String, Object> string(String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "string");
    m.put("description", description);
    return m;
  }
}
