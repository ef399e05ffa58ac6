package dev.portdoctor.cli;

import dev.portdoctor.core.Platform;
import dev.portdoctor.render.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Model Context Protocol server (JSON-RPC 2.0, one message a line, the stdio transport of the MCP
 * specification 2025-06-18). Each {@code tools/call} runs the command of the same name through
 * {@link PortDoctorCli#run}, with {@code --json}: the same use cases, checks, refusals and JSON as the
 * command line. Nothing but protocol messages goes to {@code out}.
 */
final class McpServer {
  static final String PROTOCOL_VERSION = "2025-06-18";
  private static final List<String> KNOWN_VERSIONS = List.of("2025-06-18", "2025-03-26", "2024-11-05");

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int INTERNAL_ERROR = -32603;

  private final boolean readOnly;
  private final Function<String, Platform> platforms;
  private final Environment environment;
  private final String version;

  /**
   * @param platforms the platform for a socket source, made afresh for each call (no stale tables)
   */
  McpServer(boolean readOnly, Function<String, Platform> platforms, Environment environment, String version) {
    this.readOnly = readOnly;
    this.platforms = platforms;
    this.environment = environment;
    this.version = version;
  }

  /** One message in, the response line out; null for a notification (and a blank line). */
  String handle(String line) {
    if (line.isBlank()) {
      return null;
    }
    Object message;
    try {
      message = Json.parse(line);
    } catch (IOException | RuntimeException e) {
      return error(null, PARSE_ERROR, "parse error: not valid JSON");
    }
    if (!(message instanceof Map<?, ?> raw)) {
      // JSON-RPC batches were removed from MCP in 2025-06-18
      return error(null, INVALID_REQUEST, "invalid request: expected one JSON-RPC 2.0 object (batches are not supported)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) raw;
    Object id = m.get("id");
    boolean hasId = m.containsKey("id");
    if (hasId && !(id instanceof String || id instanceof Number)) {
      return error(null, INVALID_REQUEST, "invalid request: id must be a string or a number");
    }
    if (!"2.0".equals(m.get("jsonrpc")) || !(m.get("method") instanceof String method)) {
      if (!m.containsKey("method") && (m.containsKey("result") || m.containsKey("error"))) {
        return null; // a response to us: we send no requests, so there is nothing to match it with
      }
      return error(id, INVALID_REQUEST, "invalid request: expected \"jsonrpc\": \"2.0\" and a string \"method\"");
    }
    Object params = m.get("params");
    if (params != null && !(params instanceof Map)) {
      return hasId ? error(id, INVALID_PARAMS, "invalid params: expected an object") : null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> p = params == null ? Map.of() : (Map<String, Object>) params;
    if (!hasId) {
      return null; // notifications (notifications/initialized, cancelled...) need no answer
    }
    try {
      return switch (method) {
        case "initialize" -> result(id, initialize(p));
        case "ping" -> result(id, new LinkedHashMap<>());
        case "tools/list" -> result(id, Map.of("tools", McpTools.definitions(readOnly)));
        case "tools/call" -> call(id, p);
        default -> error(id, METHOD_NOT_FOUND, "method not found: " + dev.portdoctor.render.Text.escape(method));
      };
    } catch (RuntimeException e) {
      dev.portdoctor.core.Log.debug(McpServer.class, "mcp: " + method + " failed", e);
      return error(id, INTERNAL_ERROR, "internal error: " + e);
    }
  }

  private Map<String, Object> initialize(Map<String, Object> p) {
    Object asked = p.get("protocolVersion");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("protocolVersion", asked instanceof String s && KNOWN_VERSIONS.contains(s) ? s : PROTOCOL_VERSION);
    r.put("capabilities", Map.of("tools", Map.of("listChanged", false)));
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", "portdoctor");
    info.put("version", version);
    r.put("serverInfo", info);
    r.put("instructions", "portdoctor answers port conflicts on this machine: check (is a port free?), who (who holds it?), "
        + "list, free (give me a free port), wait (until a port listens or is free)"
        + (readOnly ? "; this server is read-only." : " and kill (free a port; needs \"confirm\": true, refuses PID 1,"
            + " this server's ancestors and, without force, critical system processes)."));
    return r;
  }

  private String call(Object id, Map<String, Object> p) {
    if (!(p.get("name") instanceof String name)) {
      return error(id, INVALID_PARAMS, "invalid params: tools/call needs a string \"name\"");
    }
    if (!McpTools.NAMES.contains(name)) {
      return error(id, INVALID_PARAMS, "unknown tool: " + dev.portdoctor.render.Text.escape(name));
    }
    Object a = p.get("arguments");
    if (a != null && !(a instanceof Map)) {
      return error(id, INVALID_PARAMS, "invalid params: \"arguments\" must be an object");
    }
    if (name.equals("kill") && readOnly) {
      return result(id, toolError("kill is disabled: this server was started with --read-only; nothing was ended"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> args = a == null ? Map.of() : (Map<String, Object>) a;
    List<String> commandLine;
    try {
      commandLine = McpTools.commandLine(name, args);
    } catch (McpTools.BadArguments e) {
      return result(id, toolError(e.getMessage()));
    }
    return result(id, run(name, commandLine));
  }

  /** Runs the command as the CLI would, with --json; a failure is a tool result with isError. */
  private Map<String, Object> run(String name, List<String> commandLine) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      code = PortDoctorCli.run(commandLine.toArray(new String[0]), o, e, Context.Terminal.pipe(), platforms,
          () -> null, environment);
    }
    dev.portdoctor.core.Log.debug(McpServer.class, () -> "mcp: portdoctor " + String.join(" ", commandLine) + " -> exit " + code);
    // check, who and list answer "no" with exit 1: an answer, not a failure
    boolean answer = code == ExitCode.OK.code()
        || code == ExitCode.NO.code() && (name.equals("check") || name.equals("who") || name.equals("list"));
    List<Map<String, Object>> content = new ArrayList<>();
    String json = out.toString().strip();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("content", content);
    if (!json.isEmpty()) {
      content.add(text(json));
      try {
        if (Json.parse(json) instanceof Map<?, ?> structured) {
          r.put("structuredContent", structured);
        }
      } catch (IOException e) {
        // the text content still carries it
      }
    }
    String messages = err.toString().strip();
    if (!messages.isEmpty()) {
      content.add(text(messages));
    }
    if (content.isEmpty()) {
      content.add(text("exit " + code));
    }
    r.put("isError", !answer);
    return r;
  }

  private static Map<String, Object> toolError(String message) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("content", List.of(text("portdoctor: " + message)));
    r.put("isError", true);
    return r;
  }

  private static Map<String, Object> text(String s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "text");
    m.put("text", s);
    return m;
  }

  private static String result(Object id, Map<String, ?> result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", "2.0");
    m.put("id", id);
    m.put("result", result);
    return Json.line(m);
  }

  private static String error(Object id, int code, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", message);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jsonrpc", "2.0");
    m.put("id", id);
    m.put("error", e);
    return Json.line(m);
  }
}
