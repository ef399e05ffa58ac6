package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.SocketHolderMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portdoctor mcp} as an MCP client sees it: the packaged jar started as a child process, JSON-RPC
 * lines written to its stdin and read from its stdout, tools called on loopback sockets this test
 * opens and on a child JVM it starts (the only process any call ends).
 */
@EnabledOnOs(OS.LINUX)
class McpIT {
  private static final long ME = ProcessHandle.current().pid();

  @TempDir
  Path tmp;

  /** One server process and the lines it printed; every stdout line must be a JSON-RPC 2.0 message. */
  private final class Session implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderr;
    private int nextId = 1;

    Session(String... options) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(ChildJvm.javaBin(), "-jar", JarRunner.jar().toString(), "mcp"));
      cmd.addAll(List.of(options));
      stderr = Files.createTempFile(tmp, "mcp", ".err");
      process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("READ FAILED " + e);
        }
      }, "mcp-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    void send(String line) throws IOException {
      in.write(line + "\n");
      in.flush();
    }

    Map<String, Object> receive() throws Exception {
      String line = lines.poll(60, TimeUnit.SECONDS);
      assertNotNull(line, "no answer from the server within 60 s; its stderr: " + Files.readString(stderr));
      Map<String, Object> m = JsonOut.parse(line); // nothing but protocol on stdout
      assertEquals("2.0", m.get("jsonrpc"), line);
      return m;
    }

    Map<String, Object> request(String method, String params) throws Exception {
      int id = nextId++;
      send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}");
      Map<String, Object> r = receive();
      assertEquals(id, ((Number) r.get("id")).intValue(), "the answer to request " + id + ": " + r);
      return r;
    }

    /** A tools/call; the result object. */
    Map<String, Object> call(String tool, String arguments) throws Exception {
      Map<String, Object> r = request("tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
      assertFalse(r.containsKey("error"), "a tool call is answered with a result: " + r);
      return JsonOut.map(r.get("result"));
    }

    void initialize() throws Exception {
      Map<String, Object> r = JsonOut.map(request("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"McpIT\",\"version\":\"1\"}}").get("result"));
      assertEquals("2025-06-18", r.get("protocolVersion"));
      assertEquals("portdoctor", JsonOut.map(r.get("serverInfo")).get("name"));
      send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    List<Object> toolNames() throws Exception {
      return JsonOut.list(JsonOut.map(request("tools/list", null).get("result")).get("tools")).stream()
          .map(t -> t.get("name")).toList();
    }

    @Override
    public void close() throws Exception {
      in.close(); // end of input: the server ends by itself
      boolean ended = process.waitFor(20, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly();
      }
      assertTrue(ended, "the server ends when its stdin closes");
      assertEquals(0, process.exitValue());
    }
  }

  private static String text(Map<String, Object> result) {
    StringBuilder b = new StringBuilder();
    for (Map<String, Object> c : JsonOut.list(result.get("content"))) {
      assertEquals("text", c.get("type"));
      b.append(c.get("text")).append('\n');
    }
    return b.toString();
  }

  /** The tool's JSON, from its text content: the same document as the command's --json. */
  private static Map<String, Object> json(Map<String, Object> result) {
    Map<String, Object> doc = JsonOut.parse((String) JsonOut.list(result.get("content")).get(0).get("text"));
    assertEquals(doc, result.get("structuredContent"), "structuredContent is the same document");
    return doc;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static ServerSocket listen() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  @Test
  void initializeListAndToolsOnSocketsThisTestHolds() throws Exception {
    try (Session s = new Session(); ServerSocket held = listen()) {
      s.initialize();
      assertEquals(List.of("check", "who", "list", "free", "wait", "kill"), s.toolNames());
      int port = held.getLocalPort();

      Map<String, Object> who = s.call("who", "{\"port\":" + port + "}");
      assertEquals(false, who.get("isError"), text(who));
      Map<String, Object> whoJson = json(who);
      assertEquals("who", whoJson.get("command"));
      assertTrue(JsonOut.sockets(whoJson).stream().anyMatch(sock -> JsonOut.pids(sock).contains(ME)),
          "who names this test JVM (" + ME + "): " + text(who));

      Map<String, Object> check = s.call("check", "{\"port\":" + port + ",\"hosts\":[\"127.0.0.1\"]}");
      assertEquals(false, check.get("isError"), "in use is an answer, not an error: " + text(check));
      Map<String, Object> checked = JsonOut.list(json(check).get("ports")).get(0);
      assertEquals("in-use", checked.get("verdict"));
      assertTrue(JsonOut.sockets(json(check)).stream().anyMatch(sock -> JsonOut.pids(sock).contains(ME)), text(check));

      Map<String, Object> list = s.call("list", "{\"port\":" + port + "}");
      assertTrue(JsonOut.list(json(list).get("sockets")).stream().anyMatch(sock -> JsonOut.pids(sock).contains(ME)), text(list));

      Map<String, Object> free = s.call("free", "{\"count\":2,\"hosts\":[\"127.0.0.1\"]}");
      assertEquals(false, free.get("isError"), text(free));
      List<?> ports = (List<?>) json(free).get("ports");
      assertEquals(2, ports.size());
      for (Object p : ports) {
        try (ServerSocket ss = new ServerSocket()) {
          ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ((Number) p).intValue())); // really free
        }
      }

      Map<String, Object> waited = s.call("wait", "{\"port\":" + port + ",\"hosts\":[\"127.0.0.1\"],\"timeout\":\"10s\"}");
      assertEquals(false, waited.get("isError"), text(waited));
      assertEquals("met", json(waited).get("outcome"), text(waited));

      Map<String, Object> bad = s.call("who", "{\"port\":70000}");
      assertEquals(true, bad.get("isError"));
      assertTrue(text(bad).contains("70000"), text(bad));
      Map<String, Object> missing = s.call("check", "{}");
      assertEquals(true, missing.get("isError"));
      assertTrue(text(missing).contains("missing argument 'port'"), text(missing));
    }
  }

  @Test
  void malformedRequestsGetJsonRpcErrorsAndTheServerGoesOn() throws Exception {
    try (Session s = new Session()) {
      s.initialize();
      s.send("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":");
      Map<String, Object> parse = s.receive();
      assertEquals(-32700, ((Number) JsonOut.map(parse.get("error")).get("code")).intValue());
      assertEquals(null, parse.get("id"));
      assertTrue(s.request("ping", null).containsKey("result"), "answers after a parse error");

      Map<String, Object> unknown = s.request("resources/nosuch", "{}");
      assertEquals(-32601, ((Number) JsonOut.map(unknown.get("error")).get("code")).intValue());
      s.send("{\"jsonrpc\":\"2.0\",\"id\":\"x\"}");
      assertEquals(-32600, ((Number) JsonOut.map(s.receive().get("error")).get("code")).intValue());
      Map<String, Object> noTool = s.request("tools/call", "{\"name\":\"rm\",\"arguments\":{}}");
      assertEquals(-32602, ((Number) JsonOut.map(noTool.get("error")).get("code")).intValue());
      assertEquals(List.of("check", "who", "list", "free", "wait", "kill"), s.toolNames(), "still answers");
    }
  }

  @Test
  void killNeedsConfirmAndKeepsTheRefusals() throws Exception {
    try (Session s = new Session(); ServerSocket held = listen()) {
      s.initialize();
      int port = held.getLocalPort();
      Map<String, Object> unconfirmed = s.call("kill", "{\"port\":" + port + "}");
      assertEquals(true, unconfirmed.get("isError"));
      assertTrue(text(unconfirmed).contains("nothing was ended"), text(unconfirmed));

      // this JVM started the server: it is an ancestor of the server, never ended
      Map<String, Object> self = s.call("kill", "{\"port\":" + port + ",\"confirm\":true}");
      assertEquals(true, self.get("isError"), text(self));
      Map<String, Object> report = JsonOut.list(json(self).get("ports")).get(0);
      List<Map<String, Object>> plan = JsonOut.list(report.get("plan"));
      assertTrue(plan.stream().anyMatch(t -> ((Number) t.get("pid")).longValue() == ME && t.get("refusal") != null),
          "the plan refuses this JVM: " + text(self));
      assertTrue(alive(ME) && !held.isClosed());
      try (java.net.Socket c = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
        assertTrue(c.isConnected(), "the test's socket still listens");
      }
    }
  }

  /**
   * A child JVM holding a loopback port that no other process uses on any address (kill ends every
   * holder of the port number: another process may hold [::1]:P while ours holds 127.0.0.1:P). Tries a
   * few ports; skips rather than risk a process this test did not start.
   */
  private static ChildJvm soleHolder() {
    for (int attempt = 0; attempt < 10; attempt++) {
      ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0");
      String port = Integer.toString(holder.port(0));
      CliRunner.Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", port, "--json");
      List<Long> holders = JsonOut.list(JsonOut.parse(r.out()).get("sockets")).stream()
          .flatMap(sock -> JsonOut.pids(sock).stream()).toList();
      if (!holders.isEmpty() && List.of(holder.pid()).containsAll(holders)) {
        return holder;
      }
      holder.close();
    }
    org.junit.jupiter.api.Assumptions.abort("every port tried is also used by processes this test did not start");
    throw new AssertionError("not reached");
  }

  @Test
  void killWithConfirmEndsAChildJvmAndFreesItsPort() throws Exception {
    try (ChildJvm holder = soleHolder(); Session s = new Session()) {
      s.initialize();
      int port = holder.port(0);
      Map<String, Object> killed = s.call("kill", "{\"port\":" + port + ",\"confirm\":true}");
      assertEquals(false, killed.get("isError"), text(killed));
      assertEquals("freed", JsonOut.list(json(killed).get("ports")).get(0).get("status"), text(killed));
      assertTrue(holder.process().waitFor(10, TimeUnit.SECONDS), "the child JVM ended");
      try (ServerSocket ss = new ServerSocket()) {
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // the port is free
      }
    }
  }

  @Test
  void readOnlyHasNoKill() throws Exception {
    try (Session s = new Session("--read-only")) {
      s.initialize();
      assertEquals(List.of("check", "who", "list", "free", "wait"), s.toolNames());
      Map<String, Object> kill = s.call("kill", "{\"port\":1234,\"confirm\":true}");
      assertEquals(true, kill.get("isError"));
      assertTrue(text(kill).contains("--read-only"), text(kill));
    }
  }
}
