package dev.portdoctor.os.windows;

import static dev.portdoctor.testkit.TableChecks.assertSane;
import static dev.portdoctor.testkit.TableChecks.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Windows netstat without {@code -o} (no PID column) and without {@code -n} (names). The real captures
 * are under {@code fixtures/pasted/netstat-no-pid/}; the localized and named-peer rows no real capture
 * was found for are {@code SYNTHETIC_} strings in netstat's layout.
 */
class WindowsNetstatNamesTest {

  @Test
  void withoutDashOEveryRowHasNoOwner() {
    ParsedTable t = WindowsNetstatParser.parse(Fixtures.ownText("pasted/netstat-no-pid/vslinuxbuildbox4-an-listening.txt"));
    assertSane(t);
    assertEquals(20, t.entries().size());
    assertTrue(t.entries().stream().allMatch(e -> e.ownerStatus() == OwnerStatus.UNKNOWN && e.owners().isEmpty()));
  }

  @Test
  void theMachinesOwnNameWithPortZeroIsNoPeer() {
    ParsedTable t = WindowsNetstatParser.parse(Fixtures.ownText("pasted/netstat-no-pid/powertoys23993-ab-names.txt"));
    assertSane(t);
    assertEquals(4, t.entries().size());
    assertEquals(SocketState.LISTEN, one(t, "0.0.0.0:135", null).state());
    assertEquals(0, t.skippedLines());
  }

  /** SYNTHETIC: German netstat -a (no -n, no -o): localized header and states, names and service names. */
  static final String SYNTHETIC_DE_NAMES = String.join("\r\n",
      "",
      "Aktive Verbindungen",
      "",
      "  Proto  Lokale Adresse         Remoteadresse          Status",
      "  TCP    0.0.0.0:135            PC-WOHNZIMMER:0        ABHÖREN",
      "  TCP    192.168.178.20:49731   fra16s52-in-f3:https   HERGESTELLT",
      "  TCP    [::]:445               PC-WOHNZIMMER:0        ABHÖREN",
      "  TCP    192.168.178.20:49733   server:nosuchsvc       HERGESTELLT",
      "  UDP    0.0.0.0:5353           *:*",
      "");

  @Test
  void localizedNamesWithoutPids() {
    ParsedTable t = WindowsNetstatParser.parse(SYNTHETIC_DE_NAMES);
    assertSane(t);
    assertEquals(4, t.entries().size());
    assertEquals(SocketState.LISTEN, one(t, "0.0.0.0:135", null).state());
    assertEquals(SocketState.ESTABLISHED, one(t, "192.168.178.20:49731", "fra16s52-in-f3:443").state());
    assertEquals(SocketState.LISTEN, one(t, "[::]:445", null).state());
    assertTrue(t.entries().stream().allMatch(e -> e.owners().isEmpty()), "no PID column, no PID");
    assertEquals(1, t.skippedLines(), "a service name not in the table is not guessed");
    assertEquals(8, t.firstSkippedLine().getAsInt());
  }

  @Test
  void namedEndpoints() {
    assertEquals("notebook:0", WindowsNamedEndpoint.parse("notebook:0").toString());
    assertEquals("[::1]:22", WindowsNamedEndpoint.parse("[::1]:22").toString());
    assertNull(WindowsNamedEndpoint.parse("host:nosuchsvc"));
    assertNull(WindowsNamedEndpoint.parse("1.2.3:80"), "digits and dots are a broken address, not a name");
    assertNull(WindowsNamedEndpoint.parse("a b:80"));
    assertNull(WindowsNamedEndpoint.parse("MACHINENAME"));
  }
}
