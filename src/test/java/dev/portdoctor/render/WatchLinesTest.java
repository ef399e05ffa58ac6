package dev.portdoctor.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Holder;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.core.WatchModel.Change;
import dev.portdoctor.core.Owner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The lines of watch without a terminal: one per change, escaped, and JSON Lines. */
class WatchLinesTest {
  private static final Instant AT = Instant.parse("2026-12-04T10:00:01Z");

  static ProcessInfo proc(long pid, String name, String command) {
    return new ProcessInfo(pid, OptionalLong.of(1), name, Optional.empty(), Optional.of(command), Optional.of("root"),
        OptionalInt.of(0), Optional.empty());
  }

  static SocketReport socket(String address, int port, Optional<Endpoint> remote, SocketState state,
      OwnerStatus status, ProcessInfo... holders) {
    List<Owner> owners = new java.util.ArrayList<>();
    List<Holder> hs = new java.util.ArrayList<>();
    for (ProcessInfo p : holders) {
      owners.add(Owner.of(p.pid()));
      hs.add(new Holder(p, List.of(), 0));
    }
    return new SocketReport(new SocketEntry(Protocol.TCP, new Endpoint(address, port), remote, state, OptionalInt.of(0),
        OptionalLong.of(77), status, owners), hs, Optional.empty(), Optional.empty());
  }

  @Test
  void oneLinePerChangeWithItsHolders() {
    SocketReport r = socket("0.0.0.0", 8080, Optional.empty(), SocketState.LISTEN, OwnerStatus.KNOWN,
        proc(123, "python3", "python3 -m http.server 8080"));
    assertEquals("+ tcp LISTEN 0.0.0.0:8080 pid 123 python3", WatchLines.text(new Change(true, r, AT)));
    assertEquals("- tcp LISTEN 0.0.0.0:8080 pid 123 python3", WatchLines.text(new Change(false, r, AT)));
    SocketReport shared = socket("::", 80, Optional.empty(), SocketState.LISTEN, OwnerStatus.KNOWN,
        proc(9290, "nginx", "nginx: master"), proc(9333, "nginx", "nginx: worker"));
    assertEquals("+ tcp LISTEN [::]:80 pid 9290,9333 nginx", WatchLines.text(new Change(true, shared, AT)));
    SocketReport conn = socket("127.0.0.1", 5432, Optional.of(new Endpoint("127.0.0.1", 40000)),
        SocketState.TIME_WAIT, OwnerStatus.NONE);
    assertEquals("- tcp TIME_WAIT 127.0.0.1:5432 -> 127.0.0.1:40000 no process",
        WatchLines.text(new Change(false, conn, AT)));
    SocketReport hidden = socket("0.0.0.0", 22, Optional.empty(), SocketState.LISTEN, OwnerStatus.HIDDEN);
    assertEquals("+ tcp LISTEN 0.0.0.0:22 hidden (uid 0)", WatchLines.text(new Change(true, hidden, AT)));
  }

  @Test
  void aHostileNameStaysOnItsLineAndPutsNoControlCharacterOut() {
    SocketReport r = socket("127.0.0.1", 9000, Optional.empty(), SocketState.LISTEN, OwnerStatus.KNOWN,
        proc(66, "\u001b]0;pwned\u0007\u001b[2J\nfake", "x"));
    String line = WatchLines.text(new Change(true, r, AT));
    assertEquals("+ tcp LISTEN 127.0.0.1:9000 pid 66 \\e]0;pwned\\x07\\e[2J\\nfake", line);
    for (char c : line.toCharArray()) {
      assertFalse(Text.needsEscape(c), line);
    }
    String json = WatchLines.json(new Change(true, r, AT));
    assertFalse(json.contains("\n"), "one JSON object per line");
    for (char c : json.toCharArray()) {
      assertFalse(Text.needsEscape(c), json);
    }
  }

  @Test
  void jsonLinesCarryTheEventTheTimeAndTheSocketObject() throws Exception {
    SocketReport r = socket("0.0.0.0", 8080, Optional.empty(), SocketState.LISTEN, OwnerStatus.KNOWN,
        proc(123, "python3", "python3 -m http.server 8080"));
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(WatchLines.json(new Change(false, r, AT)));
    assertEquals(1, ((Number) m.get("schemaVersion")).intValue());
    assertEquals("watch", m.get("command"));
    assertEquals("removed", m.get("event"));
    assertEquals("2026-12-04T10:00:01Z", m.get("time"));
    @SuppressWarnings("unchecked")
    Map<String, Object> s = (Map<String, Object>) m.get("socket");
    assertEquals(8080, ((Number) s.get("localPort")).intValue());
    assertEquals("LISTEN", s.get("state"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> procs = (List<Map<String, Object>>) s.get("processes");
    assertEquals(123, ((Number) procs.get(0).get("pid")).intValue());
    assertTrue(WatchLines.json(new Change(true, r, AT)).contains("\"event\":\"added\""));
  }
}
