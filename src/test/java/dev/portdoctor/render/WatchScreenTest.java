package dev.portdoctor.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.core.WatchModel;
import dev.portdoctor.render.WatchScreen.Line;
import dev.portdoctor.render.WatchScreen.SortKey;
import dev.portdoctor.render.WatchScreen.Tone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The full-screen view as text: +/- marks and tones, escaping, the width and height it is given. */
class WatchScreenTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private static SocketReport listener(int port, long pid, String name) {
    return WatchLinesTest.socket("127.0.0.1", port, Optional.empty(), SocketState.LISTEN, OwnerStatus.KNOWN,
        WatchLinesTest.proc(pid, name, name + " --port " + port));
  }

  private static List<Line> render(WatchModel m, Instant now, String filter, boolean remote, int width, int height) {
    List<WatchModel.Row> rows = WatchScreen.visible(m.rows(now), SortKey.PORT, filter);
    WatchScreen.Frame f = new WatchScreen.Frame("tcp listeners, all ports", Duration.ofSeconds(1), now, rows, 0, 0,
        m.openCount(), 1, 1, m.processCounts(), SortKey.PORT, filter, m.fadeTime(), List.of(),
        Line.of("q quit", Tone.FOOTER), remote);
    return WatchScreen.render(f, width, height);
  }

  private static Line row(List<Line> lines, String part) {
    return lines.stream().filter(l -> l.text().contains(part)).findFirst().orElseThrow(() -> new AssertionError(
        part + " not on the screen:\n" + String.join("\n", lines.stream().map(Line::text).toList())));
  }

  @Test
  void newRowsAreMarkedPlusClosedOnesMinusAndFading() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(80, 10, "nginx"), listener(3000, 30, "node")), T0);
    m.update(List.of(listener(80, 10, "nginx"), listener(8080, 20, "python3")), T0.plusSeconds(1));
    List<Line> lines = render(m, T0.plusSeconds(3), "", false, 120, 12);
    assertEquals(12, lines.size(), "exactly the height");
    assertTrue(lines.get(0).text().startsWith("portdoctor watch  tcp listeners, all ports  every 1s  "), lines.get(0).text());
    assertTrue(lines.get(0).text().contains("2 open, 1 new, 1 closed"), lines.get(0).text());
    assertTrue(lines.get(0).text().matches(".*  every 1s  \\d\\d:\\d\\d:\\d\\d  .*"), "the time with its seconds: "
        + lines.get(0).text());
    assertEquals("  PROTO  LOCAL           STATE   PID  PROCESS  COMMAND", lines.get(1).text());
    Line open = row(lines, ":80 ");
    assertTrue(open.text().startsWith("  tcp    127.0.0.1:80 "), open.text());
    assertEquals(Tone.NORMAL, open.tone());
    Line added = row(lines, ":8080 ");
    assertTrue(added.text().startsWith("+ tcp"), added.text());
    assertEquals(Tone.NEW, added.tone());
    Line closed = row(lines, ":3000 ");
    assertTrue(closed.text().startsWith("- tcp"), closed.text());
    assertTrue(closed.text().contains("(closed 2s ago) node --port 3000"), closed.text());
    assertEquals(Tone.CLOSED, closed.tone());
    assertEquals(0.4, closed.fade(), 1e-9);
    assertTrue(lines.indexOf(open) < lines.indexOf(closed) && lines.indexOf(closed) < lines.indexOf(added),
        "a closed row keeps its place in port order");
    assertEquals("processes: nginx (10) 1, python3 (20) 1", lines.get(10).text());
    assertEquals("q quit", lines.get(11).text());
  }

  @Test
  void untrustedTextIsEscapedAndLinesAreCutToTheWidth() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(9000, 66, "\u001b[31mevil\u0007\u202e")), T0);
    List<Line> lines = render(m, T0, "", false, 60, 8);
    for (Line l : lines) {
      assertTrue(l.text().length() <= 60, l.text());
      for (char c : l.text().toCharArray()) {
        assertFalse(Text.needsEscape(c), () -> "raw control character in: " + l.text());
      }
    }
    assertTrue(row(lines, ":9000").text().contains("\\e[31mevil\\x07\\u202e"), row(lines, ":9000").text());
    assertTrue(row(lines, "processes:").text().contains("\\e[31mevil"));
  }

  @Test
  void withAllStatesTheRemoteEndHasAColumn() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(WatchLinesTest.socket("127.0.0.1", 5432, Optional.of(new Endpoint("127.0.0.1", 40000)),
        SocketState.ESTABLISHED, OwnerStatus.KNOWN, WatchLinesTest.proc(7, "postgres", "postgres"))), T0);
    List<Line> lines = render(m, T0, "", true, 120, 8);
    assertTrue(lines.get(1).text().contains("REMOTE"), lines.get(1).text());
    assertTrue(row(lines, ":5432").text().contains("127.0.0.1:40000  ESTABLISHED  7"), row(lines, ":5432").text());
  }

  @Test
  void anEmptyTableAndAFilterThatHidesEverythingSaySo() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(), T0);
    assertTrue(row(render(m, T0, "", false, 120, 8), "waiting for one to appear") != null);
    m.update(List.of(listener(80, 10, "nginx")), T0.plusSeconds(1));
    assertTrue(row(render(m, T0.plusSeconds(1), "postgres", false, 120, 8), "no socket passes the filter 'postgres'")
        != null);
  }

  @Test
  void filterWordsAndFields() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(80, 10, "nginx"), listener(8080, 20, "python3"), listener(5432, 30, "postgres")), T0);
    List<WatchModel.Row> rows = m.rows(T0);
    assertEquals(1, WatchScreen.visible(rows, SortKey.PORT, "port:80").size());
    assertEquals(1, WatchScreen.visible(rows, SortKey.PORT, "pid:20").size());
    assertEquals(1, WatchScreen.visible(rows, SortKey.PORT, "process:PYTH").size());
    assertEquals(3, WatchScreen.visible(rows, SortKey.PORT, "state:listen").size());
    assertEquals(1, WatchScreen.visible(rows, SortKey.PORT, "--port 5432").size(), "words match the command line too");
    assertEquals(0, WatchScreen.visible(rows, SortKey.PORT, "nginx port:8080").size(), "every word must match");
    assertEquals(3, WatchScreen.visible(rows, SortKey.PORT, "  ").size());
  }
}
