package dev.portdoctor.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.WatchModel.Change;
import dev.portdoctor.core.WatchModel.Row;
import dev.portdoctor.core.WatchModel.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The diff of watch: what appeared, what closed, what is still new or fading, and counts per process. */
class WatchModelTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  static SocketReport listener(int port, long inode, long... pids) {
    List<Owner> owners = new ArrayList<>();
    List<Holder> holders = new ArrayList<>();
    for (long pid : pids) {
      owners.add(Owner.of(pid));
      holders.add(new Holder(new ProcessInfo(pid, OptionalLong.of(1), "proc" + pid, Optional.empty(),
          Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty()), List.of(), 0));
    }
    SocketEntry s = new SocketEntry(Protocol.TCP, new Endpoint("127.0.0.1", port), Optional.empty(), SocketState.LISTEN,
        OptionalInt.of(0), OptionalLong.of(inode), pids.length == 0 ? OwnerStatus.HIDDEN : OwnerStatus.KNOWN, owners);
    return new SocketReport(s, holders, Optional.empty(), Optional.empty());
  }

  private static List<String> changes(List<Change> cs) {
    List<String> out = new ArrayList<>();
    for (Change c : cs) {
      out.add((c.added() ? "+" : "-") + c.report().socket().local().port());
    }
    return out;
  }

  private static String statuses(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      sb.append(r.report().socket().local().port()).append('=').append(r.status()).append(' ');
    }
    return sb.toString().trim();
  }

  @Test
  void theFirstLookAddsEverySocketButMarksNoneNew() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    List<Change> first = m.update(List.of(listener(80, 1, 10), listener(443, 2, 10)), T0);
    assertEquals(List.of("+80", "+443"), changes(first));
    assertEquals("80=OPEN 443=OPEN", statuses(m.rows(T0)));
    assertEquals(2, m.openCount());
  }

  @Test
  void aNewSocketIsNewForTheHighlightTimeThenOpen() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(80, 1, 10)), T0);
    List<Change> c = m.update(List.of(listener(80, 1, 10), listener(8080, 3, 20)), T0.plusSeconds(1));
    assertEquals(List.of("+8080"), changes(c));
    assertEquals("80=OPEN 8080=NEW", statuses(m.rows(T0.plusSeconds(1))));
    assertEquals("80=OPEN 8080=NEW", statuses(m.rows(T0.plusMillis(3999))));
    assertEquals(List.of(), m.update(List.of(listener(80, 1, 10), listener(8080, 3, 20)), T0.plusSeconds(4)));
    assertEquals("80=OPEN 8080=OPEN", statuses(m.rows(T0.plusSeconds(4))));
  }

  @Test
  void aClosedSocketFadesForTheFadeTimeThenGoes() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(80, 1, 10), listener(8080, 3, 20)), T0);
    List<Change> c = m.update(List.of(listener(80, 1, 10)), T0.plusSeconds(1));
    assertEquals(List.of("-8080"), changes(c));
    List<Row> rows = m.rows(T0.plusSeconds(1));
    assertEquals("80=OPEN 8080=CLOSED", statuses(rows));
    assertEquals(Optional.of(T0.plusSeconds(1)), rows.get(1).closedAt());
    assertEquals(0.0, rows.get(1).fade(T0.plusSeconds(1), Duration.ofSeconds(5)), 1e-9);
    assertEquals(0.5, rows.get(1).fade(T0.plusMillis(3500), Duration.ofSeconds(5)), 1e-9);
    assertEquals(1, m.openCount(), "a closed socket is not counted as open");
    assertEquals("80=OPEN 8080=CLOSED", statuses(m.rows(T0.plusMillis(5999))));
    assertEquals("80=OPEN", statuses(m.rows(T0.plusSeconds(6))), "gone after the fade time");
    m.update(List.of(listener(80, 1, 10)), T0.plusSeconds(7));
    assertEquals("80=OPEN", statuses(m.rows(T0.plusSeconds(7))));
  }

  @Test
  void aSocketThatComesBackWhileFadingIsANewRowNotTwo() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(8080, 3, 20)), T0);
    m.update(List.of(), T0.plusSeconds(1));
    List<Change> back = m.update(List.of(listener(8080, 3, 20)), T0.plusSeconds(2));
    assertEquals(List.of("+8080"), changes(back));
    assertEquals("8080=NEW", statuses(m.rows(T0.plusSeconds(2))));
  }

  @Test
  void aListenerBoundAgainOrHandedToAnotherProcessIsTheOldClosingAndANewOne() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(8080, 3, 20)), T0);
    // the same port, a new socket (another inode): closed and reopened between two looks
    assertEquals(List.of("-8080", "+8080"), changes(m.update(List.of(listener(8080, 4, 20)), T0.plusSeconds(1))));
    // the same socket, now shared with a worker the holder forked
    assertEquals(List.of("-8080", "+8080"), changes(m.update(List.of(listener(8080, 4, 21, 20)), T0.plusSeconds(2))));
    // the same holders in another order: the same socket
    assertEquals(List.of(), m.update(List.of(listener(8080, 4, 20, 21)), T0.plusSeconds(3)));
  }

  @Test
  void theSameSocketTwiceInOneLookIsOneRow() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    assertEquals(List.of("+80"), changes(m.update(List.of(listener(80, 1, 10), listener(80, 1, 10)), T0)));
    assertEquals(1, m.rows(T0).size());
  }

  @Test
  void processCountsCountOpenSocketsOnlyMostFirst() {
    WatchModel m = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    m.update(List.of(listener(80, 1, 10), listener(443, 2, 10), listener(8080, 3, 20), listener(9000, 4)), T0);
    m.update(List.of(listener(80, 1, 10), listener(443, 2, 10), listener(9000, 4)), T0.plusSeconds(1));
    List<WatchModel.ProcessCount> counts = m.processCounts();
    assertEquals(1, counts.size(), counts::toString);
    assertEquals(new WatchModel.ProcessCount(10, "proc10", 2), counts.get(0));
    m.update(List.of(listener(80, 1, 10), listener(8080, 3, 20), listener(8081, 5, 20), listener(8082, 6, 20)),
        T0.plusSeconds(2));
    assertEquals(List.of(new WatchModel.ProcessCount(20, "proc20", 3), new WatchModel.ProcessCount(10, "proc10", 1)),
        m.processCounts());
  }

  @Test
  void withNoHighlightOrFadeTimeRowsAreOnlyTheOpenOnes() {
    WatchModel m = new WatchModel(Duration.ZERO, Duration.ZERO);
    m.update(List.of(listener(80, 1, 10)), T0);
    m.update(List.of(listener(443, 2, 10)), T0.plusSeconds(1));
    assertEquals("443=OPEN", statuses(m.rows(T0.plusSeconds(1))));
    assertFalse(m.rows(T0.plusSeconds(1)).get(0).closedAt().isPresent());
    assertTrue(m.lastLook().isPresent());
  }
}
