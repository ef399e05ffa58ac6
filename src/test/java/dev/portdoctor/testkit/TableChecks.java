package dev.portdoctor.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.SocketEntry;
import java.util.List;
import java.util.stream.Collectors;

/** Invariants every parsed table keeps, and small look-ups for parser tests. */
public final class TableChecks {
  private TableChecks() {}

  /** Ports in range, PIDs positive, owners only when KNOWN, no sentinels, skip bookkeeping consistent. */
  public static void assertSane(ParsedTable t) {
    assertTrue(t.skippedLines() >= 0);
    assertEquals(t.skippedLines() > 0, t.firstSkippedLine().isPresent());
    for (SocketEntry e : t.entries()) {
      assertPort(e.local());
      e.remote().ifPresent(TableChecks::assertPort);
      for (Owner o : e.owners()) {
        assertTrue(o.pid() > 0, () -> "pid " + o.pid() + " in " + e);
      }
      assertEquals(e.ownerStatus() == OwnerStatus.KNOWN, !e.owners().isEmpty(), e::toString);
      e.uid().ifPresent(u -> assertTrue(u >= 0, e::toString));
      e.inode().ifPresent(i -> assertTrue(i > 0, e::toString));
      assertTrue(!e.local().address().isEmpty(), e::toString);
    }
  }

  private static void assertPort(Endpoint p) {
    assertTrue(p.port() >= 0 && p.port() <= 65535, p::toString);
  }

  /** The entries whose local endpoint prints as {@code local} ({@code 127.0.0.1:80}, {@code [::1]:80}). */
  public static List<SocketEntry> at(ParsedTable t, String local) {
    return t.entries().stream().filter(e -> e.local().toString().equals(local)).collect(Collectors.toList());
  }

  /** The one entry at {@code local} (with {@code remote}, or none when null). */
  public static SocketEntry one(ParsedTable t, String local, String remote) {
    List<SocketEntry> found = at(t, local).stream()
        .filter(e -> remote == null ? e.remote().isEmpty()
            : e.remote().map(r -> r.toString().equals(remote)).orElse(false))
        .collect(Collectors.toList());
    assertEquals(1, found.size(), () -> local + " -> " + remote + " in " + t.entries());
    return found.get(0);
  }

  /** The PIDs of an entry's owners, in order. */
  public static List<Long> pids(SocketEntry e) {
    return e.owners().stream().map(Owner::pid).collect(Collectors.toList());
  }

  /** The name hints of an entry's owners, in order ("" when absent). */
  public static List<String> names(SocketEntry e) {
    return e.owners().stream().map(o -> o.nameHint().orElse("")).collect(Collectors.toList());
  }
}
