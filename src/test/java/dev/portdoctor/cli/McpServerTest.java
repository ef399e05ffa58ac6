package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.JsonOut;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MCP server's protocol and argument checks, without the OS: the platform supplier fails the test
 * if a rejected call reaches it. Real calls on real sockets are in McpIT.
 */
class McpServerTest {
  private static final McpServer SERVER = new McpServer(false, source -> {
    throw new AssertionError("a rejected call must not reach the platform");
  }, Environment.system(), "test");

  private static Map<String, Object> answer(McpServer server, String line) {
    String out = server.handle(line);
    assertFalse(out.contains("\n"), "one message, one line: " + out);
    return JsonOut.parse(out);
  }

  private static Map<String, Object> call(String tool, String arguments) {
    Map<String, Object> r = answer(SERVER, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool + "\",\"arguments\":" + arguments + "}}");
    assertEquals(7, ((Number) r.get("id")).intValue());
    return JsonOut.map(r.get("result"));
  }

  private static String firstText(Map<String, Object> result) {
    return (String) JsonOut.list(result.get("content")).get(0).get("text");
  }

  private static int errorCode(Map<String, Object> r) {
    return ((Number) JsonOut.map(r.get("error")).get("code")).intValue();
  }

  @Test
  void argumentsBecomeSeparateWordsOfTheSameCommandWithJson() throws Exception {
    assertEquals(List.of("who", "3000", "--udp", "--json"), McpTools.commandLine("who", Map.of("port", 3000, "udp", true)));
    assertEquals(List.of("check", "5432", "--host=127.0.0.1", "--json"),
        McpTools.commandLine("check", Map.of("port", 5432, "hosts", List.of("127.0.0.1"))));
    assertEquals(List.of("free", "--count=2", "--range=8000-8999", "--json"),
        McpTools.commandLine("free", Map.of("count", 2, "range", "8000-8999")));
    assertEquals(List.of("wait", "8080", "--listening", "--timeout=2s", "--json"),
        McpTools.commandLine("wait", Map.of("port", 8080, "timeout", "2s")));
    assertEquals(List.of("wait", "8080", "--free", "--json"), McpTools.commandLine("wait", Map.of("port", 8080, "free", true)));
    assertEquals(List.of("kill", "3000", "--yes", "--tree", "--json"),
        McpTools.commandLine("kill", Map.of("port", 3000, "confirm", true, "tree", true)));
    assertEquals(List.of("list", "--port=80", "--pid=42", "--json"), McpTools.commandLine("list", Map.of("port", 80, "pid", 42)));
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    assertTrue(assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("who", Map.of("port", 70000)))
        .getMessage().contains("70000"));
    assertTrue(assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("check", Map.of()))
        .getMessage().contains("missing argument 'port'"));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("who", Map.of("port", "3000")));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("who", Map.of("port", 3000.5)));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("who", Map.of("port", 0)));
    assertTrue(assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("who", Map.of("port", 1, "force", true)))
        .getMessage().contains("unknown argument 'force'"));
    // a value never turns into an option
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("wait", Map.of("port", 1, "timeout", "--force")));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("free", Map.of("range", "1-2 --udp")));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("check", Map.of("port", 1, "hosts", List.of("-x"))));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("check", Map.of("port", 1, "hosts", "127.0.0.1")));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("free", Map.of("count", 1001)));
    assertThrows(McpTools.BadArguments.class, () -> McpTools.commandLine("kill", Map.of("port", 1, "confirm", "yes")));
  }

  @Test
  void killWithoutConfirmIsRefusedBeforeAnythingRuns() {
    Map<String, Object> r = call("kill", "{\"port\":3000}");
    assertEquals(true, r.get("isError"));
    assertTrue(firstText(r).contains("\"confirm\": true") && firstText(r).contains("nothing was ended"), firstText(r));
    Map<String, Object> no = call("kill", "{\"port\":3000,\"confirm\":false}");
    assertEquals(true, no.get("isError"));
  }

  @Test
  void badToolArgumentsAreToolErrorsNotProtocolErrors() {
    Map<String, Object> r = call("who", "{\"port\":70000}");
    assertEquals(true, r.get("isError"));
    assertTrue(firstText(r).startsWith("portdoctor: invalid port 70000"), firstText(r));
    assertEquals(true, call("check", "{}").get("isError"));
  }

  @Test
  void initializeAnswersTheVersionAndTheToolsCapability() {
    Map<String, Object> r = JsonOut.map(answer(SERVER,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}").get("result"));
    assertEquals("2025-06-18", r.get("protocolVersion"));
    assertTrue(JsonOut.map(r.get("capabilities")).containsKey("tools"));
    assertEquals("portdoctor", JsonOut.map(r.get("serverInfo")).get("name"));
    Map<String, Object> future = JsonOut.map(answer(SERVER,
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2099-01-01\"}}").get("result"));
    assertEquals(McpServer.PROTOCOL_VERSION, future.get("protocolVersion"), "an unknown version gets ours");
  }

  @Test
  void readOnlyHasNoKillAndRefusesIt() {
    McpServer ro = new McpServer(true, source -> {
      throw new AssertionError("not reached");
    }, Environment.system(), "test");
    List<Map<String, Object>> tools = JsonOut.list(JsonOut.map(answer(ro,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").get("result")).get("tools"));
    assertEquals(List.of("check", "who", "list", "free", "wait"), tools.stream().map(t -> t.get("name")).toList());
    Map<String, Object> r = JsonOut.map(answer(ro, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"kill\",\"arguments\":{\"port\":3000,\"confirm\":true}}}").get("result"));
    assertEquals(true, r.get("isError"));
    assertTrue(firstText(r).contains("--read-only"), firstText(r));
  }

  @Test
  void protocolErrorsHaveTheirJsonRpcCodes() {
    assertEquals(McpServer.PARSE_ERROR, errorCode(answer(SERVER, "{\"jsonrpc\":\"2.0\",\"id\":1,")));
    assertEquals(McpServer.INVALID_REQUEST, errorCode(answer(SERVER, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]")));
    assertEquals(McpServer.INVALID_REQUEST, errorCode(answer(SERVER, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}")));
    assertEquals(McpServer.INVALID_REQUEST, errorCode(answer(SERVER, "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}")));
    assertEquals(McpServer.METHOD_NOT_FOUND, errorCode(answer(SERVER, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nosuch\"}")));
    assertEquals(McpServer.INVALID_PARAMS, errorCode(answer(SERVER,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"rm\"}}")));
    assertEquals(McpServer.INVALID_PARAMS, errorCode(answer(SERVER,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"who\",\"arguments\":[3000]}}")));
    assertEquals(McpServer.INVALID_PARAMS, errorCode(answer(SERVER, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":5}")));
    Map<String, Object> pong = answer(SERVER, "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}");
    assertEquals("a", pong.get("id"));
    assertEquals(Map.of(), pong.get("result"));
  }

  @Test
  void notificationsAndBlankLinesGetNoAnswer() {
    assertNull(SERVER.handle("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
    assertNull(SERVER.handle("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"kill\"}}"));
    assertNull(SERVER.handle("   "));
  }
}
