package dev.portdoctor.testkit;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Parses portdoctor's JSON output in tests, so every JSON assertion also proves the output is valid JSON. */
public final class JsonOut {
  private JsonOut() {}

  public static Map<String, Object> parse(String json) {
    try {
      return JSON.std.mapFrom(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not valid JSON: " + json, e);
    }
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** The sockets of the first port of a who/check result. */
  public static List<Map<String, Object>> sockets(Map<String, Object> result) {
    return list(list(result.get("ports")).get(0).get("sockets"));
  }

  /** The PIDs of the processes of a socket, as longs. */
  public static List<Long> pids(Map<String, Object> socket) {
    return list(socket.get("processes")).stream().map(p -> ((Number) p.get("pid")).longValue()).toList();
  }
}
