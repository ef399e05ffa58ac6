package dev.portdoctor.os.mac;

import static dev.portdoctor.testkit.TableChecks.assertSane;
import static dev.portdoctor.testkit.TableChecks.at;
import static dev.portdoctor.testkit.TableChecks.names;
import static dev.portdoctor.testkit.TableChecks.one;
import static dev.portdoctor.testkit.TableChecks.pids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.ParsedTable.LineNote;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Lines;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.MangledInput;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * lsof's default table. The {@code devvm-*} captures were made on this project's machine (Linux lsof
 * 4.95), the others come from public issue threads (macOS, Ubuntu, FreeBSD); provenance in the
 * {@code .expect} beside each under {@code fixtures/pasted/lsof-table/}. Forms no real capture was
 * found for are in {@code SYNTHETIC_} strings.
 */
class LsofTableParserTest {

  private static ParsedTable parse(String text) {
    ParsedTable t = LsofTableParser.parse(text);
    assertSane(t);
    return t;
  }

  private static ParsedTable capture(String name) {
    return parse(Fixtures.ownText("pasted/lsof-table/" + name + ".txt"));
  }

  @Test
  void devVmNumericTable() {
    ParsedTable t = capture("devvm-nP-i");
    assertEquals(16, t.entries().size());
    assertTrue(t.notes().isEmpty(), () -> t.notes().toString());
    SocketEntry l = one(t, "127.0.0.1:8080", null);
    assertEquals(SocketState.LISTEN, l.state());
    assertEquals(List.of(8724L), pids(l));
    assertEquals(List.of("pd web"), names(l), "pd\\x20web, cut at 9 characters by lsof, unescaped");
    assertEquals(SocketState.ESTABLISHED, one(t, "127.0.0.1:42094", "127.0.0.1:8080").state());
    // an IPv4 address on an IPv6 file is the v4-mapped address, as in lsof -F
    assertEquals(SocketState.LISTEN, one(t, "[::ffff:127.0.0.1]:18191", null).state());
    SocketEntry udp = one(t, "127.0.0.1:5353", null);
    assertEquals(Protocol.UDP, udp.protocol());
    assertEquals(SocketState.UNCONN, udp.state());
    assertEquals(SocketState.ESTABLISHED, one(t, "127.0.0.1:18193", "127.0.0.1:5353").state());
    assertEquals(List.of("longserve"), names(one(t, "[::1]:18194", null)));
  }

  @Test
  void serviceAndHostNamesWithoutDashNP() {
    ParsedTable t = capture("devvm-i");
    assertEquals(16, t.entries().size());
    assertEquals(SocketState.LISTEN, one(t, "localhost:8080", null).state(), "http-alt");
    assertEquals(SocketState.LISTEN, one(t, "[::1]:5432", null).state(), "postgresql");
    assertEquals(SocketState.LISTEN, one(t, "localhost:9418", null).state(), "git");
    assertEquals(Protocol.UDP, one(t, "localhost:5353", null).protocol(), "mdns");
    assertTrue(t.entries().stream().noneMatch(e -> e.local().address().equals("127.0.0.1")),
        "host names stay names");
    ParsedTable n = capture("devvm-n-i");
    assertEquals(SocketState.LISTEN, one(n, "127.0.0.1:8080", null).state());
  }

  @Test
  void wideCommandColumnOfPlusC0() {
    ParsedTable t = capture("devvm-c0-nP-i");
    assertEquals(List.of("pd web srv"), names(one(t, "127.0.0.1:8080", null)));
    assertEquals(List.of("longservername1"), names(one(t, "[::1]:18194", null)));
  }

  @Test
  void rowsThroughGrepWithoutHeader() {
    ParsedTable t = capture("devvm-nP-i-grep-LISTEN");
    assertEquals(6, t.entries().size());
    assertTrue(t.entries().stream().allMatch(e -> e.state() == SocketState.LISTEN));
    ParsedTable mac = capture("paretomac69-mac-iP-grep-LISTEN");
    assertEquals(4, mac.entries().size());
    assertEquals(List.of(433L), pids(one(mac, "[::]:5000", null)));
  }

  @Test
  void macOsServiceNames() {
    ParsedTable t = capture("chainloop155-mac-i-5000");
    assertEquals(List.of("ControlCe"), names(one(t, "0.0.0.0:5000", null)));
    assertEquals(List.of(1081L), pids(one(t, "[::]:5000", null)));
  }

  @Test
  void aMissingUserColumnShiftsNothing() {
    ParsedTable t = capture("skillpilot16-mac-nP-3001-no-user");
    assertEquals(List.of(15725L), pids(one(t, "127.0.0.1:3001", null)));
    assertEquals(List.of("python3.1"), names(one(t, "127.0.0.1:3001", null)));
    assertEquals(List.of(46822L), pids(one(t, "[::]:3001", null)));
  }

  @Test
  void freeBsdUnboundRowsAreNamedAndRawRowsLeftOut() {
    ParsedTable t = capture("unifipfsense129-freebsd-i");
    assertEquals(3, t.entries().size());
    assertEquals(8, t.skippedLines());
    assertTrue(t.notes().stream().allMatch(n -> n.skipped() && n.problem().contains("no port")), t.notes()::toString);
    assertEquals(4, t.firstSkippedLine().getAsInt());
    assertEquals(List.of("syslogd"), names(one(t, "[::]:514", null)));
    assertTrue(t.notes().stream().noneMatch(n -> n.text().contains("RAW")));
  }

  @Test
  void endpointDetailsOfDashEAreNotedAndTheRowKept() {
    ParsedTable t = capture("lsoflinux42-E-endpoints-warning");
    assertEquals(SocketState.ESTABLISHED, one(t, "[::1]:53442", "[::1]:22").state());
    assertEquals(1, t.notes().size());
    LineNote n = t.notes().get(0);
    assertFalse(n.skipped());
    assertEquals(5, n.line());
  }

  /**
   * SYNTHETIC: forms no real capture was found for, in lsof's table layout (macOS columns): a scoped
   * link-local UDP name, Linux's TID/TASKCMD columns with a blank TID, NLINK (+L), BSD state words,
   * a service name not in the table, a TCP row without a state and one with an unknown word, no PID,
   * a broken address, a regular file, a prompt, an escape cut by the 9-character limit.
   */
  static final String SYNTHETIC_MAC = String.join("\n",
      "% lsof -i",
      "COMMAND     PID  TID TASKCMD USER   FD   TYPE             DEVICE SIZE/OFF NLINK NODE NAME",
      "mDNSRespo   501              _mdns  7u  IPv6 0x2d4c1e8e0a1b2c3d      0t0     0  UDP [fe80::1%lo0]:mdns",
      "node      41022 41023 worker  me    23u  IPv4 0x2d4c1e8e0a1b2c3e      0t0     0  TCP *:irdmi (LISTEN)",
      "rapportd    612             me     9u  IPv6 0x2d4c1e8e0a1b2c3f      0t0     0  TCP 10.0.0.5:50000->17.1.2.3:https (SYN_RCVD)",
      "rapportd    612             me    10u  IPv4 0x2d4c1e8e0a1b2c40      0t0     0  TCP 10.0.0.5:50001->17.1.2.3:443 (FIN_WAIT_1)",
      "rapportd    612             me    11u  IPv4 0x2d4c1e8e0a1b2c41      0t0     0  TCP 10.0.0.5:50003",
      "rapportd    612             me    12u  IPv4 0x2d4c1e8e0a1b2c42      0t0     0  TCP 10.0.0.5:50004 (WEIRD)",
      "Xquartz     700             me     3u  IPv4 0x2d4c1e8e0a1b2c43      0t0     0  TCP *:nosuchsvc (LISTEN)",
      "broken      x12             me     3u  IPv4 0x2d4c1e8e0a1b2c44      0t0     0  TCP *:22 (LISTEN)",
      "broken      713             me     3u  IPv4 0x2d4c1e8e0a1b2c45      0t0     0  TCP 999.1.1:22 (LISTEN)",
      "zsh         800             me   cwd    DIR                1,4     1024     2 /Users/me",
      "my\\x20ap\\x2   900             me     4u  IPv4 0x2d4c1e8e0a1b2c46      0t0     0  TCP mymac.local:ssh (LISTEN)",
      "");

  @Test
  void synthesisedForms() {
    ParsedTable t = parse(SYNTHETIC_MAC);
    SocketEntry mdns = one(t, "[fe80::1%lo0]:5353", null);
    assertEquals(Protocol.UDP, mdns.protocol());
    assertEquals(List.of("mDNSRespo"), names(mdns));
    assertEquals(List.of(501L), pids(mdns));
    SocketEntry node = one(t, "0.0.0.0:8000", null);
    assertEquals(List.of(41022L), pids(node), "PID is the second column, TID is not read as it");
    assertEquals(SocketState.LISTEN, node.state());
    assertEquals(SocketState.SYN_RECV, one(t, "[::ffff:10.0.0.5]:50000", "[::ffff:17.1.2.3]:443").state());
    assertEquals(SocketState.FIN_WAIT1, one(t, "10.0.0.5:50001", "17.1.2.3:443").state());
    assertEquals(SocketState.UNKNOWN, one(t, "10.0.0.5:50003", null).state());
    assertEquals(SocketState.UNKNOWN, one(t, "10.0.0.5:50004", null).state());
    SocketEntry host = one(t, "mymac.local:22", null);
    assertEquals(List.of("my ap"), names(host), "an escape cut by lsof's 9-character limit is dropped");
    assertEquals(7, t.entries().size());

    assertEquals(3, t.skippedLines());
    List<LineNote> notes = t.notes();
    assertEquals(List.of(7, 8, 9, 10, 11), notes.stream().map(LineNote::line).toList());
    assertTrue(notes.get(0).problem().contains("no TCP state") && !notes.get(0).skipped());
    assertTrue(notes.get(1).problem().contains("WEIRD") && !notes.get(1).skipped());
    assertTrue(notes.get(2).problem().contains("unknown service name 'nosuchsvc'") && notes.get(2).skipped(),
        notes.get(2)::toString);
    assertTrue(notes.get(3).problem().contains("PID"));
    assertTrue(notes.get(4).problem().contains("999.1.1"));
  }

  @Test
  void headerAndRowShapes() {
    assertTrue(LsofTableParser.isHeader("COMMAND    PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME"));
    assertFalse(LsofTableParser.isHeader("COMMAND PID"));
    assertTrue(LsofTableParser.isSocketRow(
        "node    9439 stanimir   29u  IPv6 2454362      0t0  TCP *:tproxy (LISTEN)"));
    assertFalse(LsofTableParser.isSocketRow("  TCP    0.0.0.0:135   0.0.0.0:0   LISTENING   1712"));
    assertFalse(LsofTableParser.isSocketRow("tcp4  0  0  127.0.0.1.8080  *.*  LISTEN"));
    assertFalse(LsofTableParser.isSocketRow("zsh 800 me cwd DIR 1,4 1024 2 /Users/me"));
  }

  @Test
  void unescapeUndoesOnlyPrintableEscapes() {
    assertEquals("pd web", LsofTableParser.unescape("pd\\x20web"));
    assertEquals("a\\x07b", LsofTableParser.unescape("a\\x07b"), "a control character stays escaped");
    assertEquals("a", LsofTableParser.unescape("a\\x"));
    assertEquals("a b", LsofTableParser.unescape("a\\x20b\\x2"));
    assertEquals("ab\\q", LsofTableParser.unescape("ab\\q"), "not an escape lsof makes: kept");
    assertEquals("plain", LsofTableParser.unescape("plain"));
  }

  @Test
  void emptyAndProseOnly() {
    assertEquals(0, parse("").entries().size());
    ParsedTable t = parse("lsof: WARNING: can't stat() fuse file system\n$ lsof -i :8080\n");
    assertEquals(0, t.entries().size());
    assertTrue(t.notes().isEmpty());
  }

  /** The scan stays linear on hostile input: an endless row and millions of words. */
  @Test
  void hugeHostileInputFinishes() {
    String rows = "node 1 me 3u IPv4 0x1 0t0 TCP 127.0.0.1:80 (LISTEN)\n".repeat(20_000);
    String words = "x 2 " + "IPv4 ".repeat(500_000) + "\n";
    String name = "y 3 me 3u IPv6 0x1 0t0 TCP [" + ":".repeat(1_000_000) + "]:80\n";
    ParsedTable t = parse(rows + words + name); // linear in the text
    assertEquals(20_000, t.entries().size());
  }

  @Property(tries = 400)
  void neverThrowsAndKeepsInvariants(@ForAll("mangled") String text) {
    assertSane(LsofTableParser.parse(text));
  }

  @Provide
  Arbitrary<String> mangled() {
    List<String> lines = new java.util.ArrayList<>(Lines.of(SYNTHETIC_MAC));
    lines.addAll(Lines.of(Fixtures.ownText("pasted/lsof-table/devvm-i.txt")));
    return MangledInput.around(lines);
  }
}
