package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.testkit.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WindowsNetstatParserTest {

  private static final String AON = "windows-netstat/jc-win10-netstat-aon-en.txt";
  private static final String AONB = "windows-netstat/jc-win10-netstat-aonb-en.txt";
  private static final String INSPEC = "windows-netstat/inspec-winsrv-netstat-anbo-select-string.txt";

  /** Index of the first entry with this protocol and local endpoint ({@code [::]:135} form). */
  private static int index(ParsedTable t, Protocol p, String local) {
    List<SocketEntry> e = t.entries();
    for (int i = 0; i < e.size(); i++) {
      if (e.get(i).protocol() == p && e.get(i).local().toString().equals(local)) {
        return i;
      }
    }
    throw new AssertionError(p + " " + local + " not in " + e);
  }

  private static SocketEntry find(ParsedTable t, Protocol p, String local) {
    return t.entries().get(index(t, p, local));
  }

  private static List<Long> pids(ParsedTable t, Protocol p, String local) {
    return t.entries().stream()
        .filter(e -> e.protocol() == p && e.local().toString().equals(local))
        .flatMap(e -> e.owners().stream()).map(Owner::pid).distinct().sorted().collect(Collectors.toList());
  }

  private static void assertOwner(SocketEntry e, long pid) {
    assertEquals(OwnerStatus.KNOWN, e.ownerStatus(), e::toString);
    assertEquals(List.of(pid), e.owners().stream().map(Owner::pid).collect(Collectors.toList()));
  }

  /** Rows in a capture, counted the simple way: lines whose first word is TCP or UDP. */
  private static long rows(String text) {
    return WindowsText.lines(text).stream().map(WindowsText::tokens)
        .map(t -> !t.isEmpty() && t.get(0).equals(">") ? t.subList(1, t.size()) : t)
        .filter(t -> !t.isEmpty() && (t.get(0).equals("TCP") || t.get(0).equals("UDP"))).count();
  }

  @Test
  void sharedAonEnglish() {
    String text = Fixtures.sharedText(AON);
    ParsedTable t = WindowsNetstatParser.parse(text);
    assertEquals(0, t.skippedLines(), () -> "skipped: " + t.firstSkippedText());
    assertEquals(rows(text), t.entries().size());

    SocketEntry rpc = find(t, Protocol.TCP, "0.0.0.0:135");
    assertEquals(SocketState.LISTEN, rpc.state());
    assertTrue(rpc.remote().isEmpty());
    assertOwner(rpc, 1712);
    assertOwner(find(t, Protocol.TCP, "[::]:135"), 1712);
    assertEquals(SocketState.LISTEN, find(t, Protocol.TCP, "[::]:135").state());
    assertOwner(find(t, Protocol.TCP, "[::]:445"), 4);
    assertOwner(find(t, Protocol.TCP, "[::1]:1025"), 6088);
    assertEquals(SocketState.LISTEN, find(t, Protocol.TCP, "[::1]:1025").state());

    SocketEntry est = find(t, Protocol.TCP, "127.0.0.1:1031");
    assertEquals(SocketState.ESTABLISHED, est.state());
    assertEquals("127.0.0.1:1032", est.remote().orElseThrow().toString());
    assertOwner(est, 10644);

    // many duplicate UDP rows on 5353: each stays a row; the three PIDs are all there
    assertEquals(List.of(3404L, 14156L, 27696L), pids(t, Protocol.UDP, "0.0.0.0:5353"));
    SocketEntry mdns = find(t, Protocol.UDP, "0.0.0.0:5353");
    assertEquals(SocketState.UNCONN, mdns.state());
    assertTrue(mdns.remote().isEmpty());

    // scoped IPv6 whose address column overflows its width: the zone stays, brackets go
    SocketEntry scoped = find(t, Protocol.UDP, "[fe80::f5d1:8bf7:c410:e325%64]:52284");
    assertEquals("fe80::f5d1:8bf7:c410:e325%64", scoped.local().address());
    assertOwner(scoped, 8844);
  }

  @Test
  void sharedAonbEnglishWithOwners() {
    String text = Fixtures.sharedText(AONB);
    WindowsNetstat n = WindowsNetstatParser.parseWithOwners(text);
    ParsedTable t = n.table();
    assertEquals(0, t.skippedLines(), () -> "skipped: " + t.firstSkippedText());
    assertEquals(rows(text), t.entries().size());

    int rpc = index(t, Protocol.TCP, "0.0.0.0:135");
    assertOwner(t.entries().get(rpc), 1712);
    assertEquals(SocketState.LISTEN, t.entries().get(rpc).state());
    assertEquals(Optional.of("svchost.exe"), t.entries().get(rpc).owners().get(0).nameHint());
    assertEquals(List.of("RpcSs"), n.owners().get(rpc).services());
    assertEquals(Optional.of("svchost.exe"), n.owners().get(rpc).image());

    int smb = index(t, Protocol.TCP, "0.0.0.0:445");
    assertOwner(t.entries().get(smb), 4);
    assertEquals(Optional.empty(), t.entries().get(smb).owners().get(0).nameHint());
    assertTrue(n.owners().get(smb).ownershipUnavailable());

    SocketEntry anydesk = find(t, Protocol.TCP, "0.0.0.0:7070");
    assertOwner(anydesk, 6608);
    assertEquals(Optional.of("AnyDesk.exe"), anydesk.owners().get(0).nameHint());

    SocketEntry search = find(t, Protocol.TCP, "192.168.31.221:4604");
    assertEquals(SocketState.CLOSE_WAIT, search.state());
    assertEquals("82.102.152.152:443", search.remote().orElseThrow().toString());
    assertOwner(search, 27568);
    assertEquals(Optional.of("SearchApp.exe"), search.owners().get(0).nameHint());

    int ssdp = index(t, Protocol.UDP, "[fe80::d8df:ceee:28ba:aad%14]:1900");
    assertOwner(t.entries().get(ssdp), 8844);
    assertEquals(List.of("SSDPSRV"), n.owners().get(ssdp).services());
    assertEquals(Optional.of("svchost.exe"), t.entries().get(ssdp).owners().get(0).nameHint());

    // TIME_WAIT rows carry PID 0 and no owner lines
    SocketEntry tw = find(t, Protocol.TCP, "192.168.31.221:4713");
    assertEquals(SocketState.TIME_WAIT, tw.state());
    assertEquals(OwnerStatus.NONE, tw.ownerStatus());
    assertTrue(tw.owners().isEmpty());

    WindowsOwnerInfo svchost8844 = n.byPid().get(8844L);
    assertTrue(svchost8844.services().contains("SSDPSRV"), svchost8844::toString);
  }

  @Test
  void sharedInspecSelectString() {
    String text = Fixtures.sharedText(INSPEC);
    WindowsNetstat n = WindowsNetstatParser.parseWithOwners(text);
    ParsedTable t = n.table();
    assertEquals(0, t.skippedLines(), () -> "skipped: " + t.firstSkippedText());
    assertEquals(rows(text), t.entries().size());

    SocketEntry ssh = find(t, Protocol.TCP, "0.0.0.0:22");
    assertEquals(SocketState.LISTEN, ssh.state());
    assertOwner(ssh, 1264);
    assertEquals(Optional.of("sshd.exe"), ssh.owners().get(0).nameHint());

    int http = index(t, Protocol.TCP, "0.0.0.0:80");
    assertOwner(t.entries().get(http), 4);
    assertTrue(n.owners().get(http).ownershipUnavailable());
    assertEquals(Optional.empty(), t.entries().get(http).owners().get(0).nameHint());

    // -context 0,1 keeps only the first owner line: the service, not the image
    int rpc = index(t, Protocol.TCP, "0.0.0.0:135");
    assertOwner(t.entries().get(rpc), 564);
    assertEquals(List.of("RpcSs"), n.owners().get(rpc).services());
    assertEquals(Optional.empty(), n.owners().get(rpc).image());

    int rdp = index(t, Protocol.TCP, "[::]:3389");
    assertOwner(t.entries().get(rdp), 1764);
    assertEquals(SocketState.LISTEN, t.entries().get(rdp).state());
    assertEquals(List.of("TermService"), n.owners().get(rdp).services());

    SocketEntry snmp = find(t, Protocol.UDP, "0.0.0.0:161");
    assertOwner(snmp, 3004);
    assertEquals(SocketState.UNCONN, snmp.state());
    assertEquals(Optional.of("snmp.exe"), snmp.owners().get(0).nameHint());
  }

  /** German Windows 8.1 translates the state column; see fixtures/README.md. */
  @Test
  void germanStatesAndOverflowingColumns() {
    String text = Fixtures.ownText("windows/netstat-ano-de-win81.txt");
    ParsedTable t = WindowsNetstatParser.parse(text);
    assertEquals(0, t.skippedLines(), () -> "skipped: " + t.firstSkippedText());
    assertEquals(rows(text), t.entries().size());
    assertEquals(127 - 4, t.entries().size()); // every line but the blank, title, blank, header

    SocketEntry http = find(t, Protocol.TCP, "0.0.0.0:80");
    assertEquals(SocketState.LISTEN, http.state()); // ABHÖREN
    assertOwner(http, 4);

    SocketEntry est = find(t, Protocol.TCP, "127.0.0.1:53588");
    assertEquals(SocketState.ESTABLISHED, est.state()); // HERGESTELLT
    assertEquals("127.0.0.1:1110", est.remote().orElseThrow().toString());
    assertOwner(est, 8464);

    SocketEntry wait = find(t, Protocol.TCP, "127.0.0.1:54962");
    assertEquals(SocketState.TIME_WAIT, wait.state()); // WARTEND, PID 0
    assertEquals(OwnerStatus.NONE, wait.ownerStatus());
    assertTrue(wait.owners().isEmpty());

    SocketEntry closeWait = find(t, Protocol.TCP, "127.0.0.1:54995"); // SCHLIESSEN_WARTEN overflows
    assertEquals(SocketState.CLOSE_WAIT, closeWait.state());
    assertOwner(closeWait, 12600);

    SocketEntry finWait = t.entries().stream()
        .filter(e -> e.remote().map(r -> r.toString().equals("127.0.0.1:54995")).orElse(false))
        .findFirst().orElseThrow();
    assertEquals(SocketState.FIN_WAIT2, finWait.state()); // FIN_WARTEN_2
    assertOwner(finWait, 2588);

    SocketEntry dhcp6 = find(t, Protocol.UDP, "[fe80::10b0:462e:c279:f46a%9]:546");
    assertEquals(new Endpoint("fe80::10b0:462e:c279:f46a%9", 546), dhcp6.local());
    assertOwner(dhcp6, 1216);
    assertTrue(t.entries().stream().noneMatch(e -> e.state() == SocketState.UNKNOWN));
  }

  /** Spanish netstat -nabo written to a file in the OEM code page; see fixtures/README.md. */
  @Test
  void spanishNaboWithLocalizedOwnerLines() {
    String text = Fixtures.ownText("windows/netstat-nabo-es.txt");
    WindowsNetstat n = WindowsNetstatParser.parseWithOwners(text);
    ParsedTable t = n.table();
    assertEquals(0, t.skippedLines(), () -> "skipped: " + t.firstSkippedText());
    assertEquals(rows(text), t.entries().size());

    int epmap = index(t, Protocol.TCP, "0.0.0.0:135");
    assertOwner(t.entries().get(epmap), 1052);
    assertEquals(List.of("RpcEptMapper"), n.owners().get(epmap).services());
    assertEquals(Optional.of("svchost.exe"), t.entries().get(epmap).owners().get(0).nameHint());

    int smb = index(t, Protocol.TCP, "0.0.0.0:445");
    assertTrue(n.owners().get(smb).ownershipUnavailable()); // "No se puede obtener informaci¢n..."
    assertOwner(t.entries().get(smb), 4);

    SocketEntry tw = find(t, Protocol.TCP, "192.168.0.106:50046");
    assertEquals(SocketState.TIME_WAIT, tw.state());
    assertEquals(OwnerStatus.NONE, tw.ownerStatus());

    int iphlp = index(t, Protocol.UDP, "127.0.0.1:54794");
    assertOwner(t.entries().get(iphlp), 3600);
    assertEquals(List.of("iphlpsvc"), n.owners().get(iphlp).services());

    WindowsOwnerInfo dns = n.byPid().get(2448L);
    assertEquals(List.of("Dnscache"), dns.services());
    assertEquals(Optional.of("svchost.exe"), dns.image());
    assertEquals(List.of("WpnService"), n.byPid().get(3508L).services());
  }

  /** French netstat -a -n -b: no -o, so no PID column; see fixtures/README.md. */
  @Test
  void frenchAnbWithoutPids() {
    String head = Fixtures.ownText("windows/netstat-anb-fr-head.txt");
    WindowsNetstat n = WindowsNetstatParser.parseWithOwners(head);
    ParsedTable t = n.table();
    assertEquals(0, t.skippedLines(), () -> "skipped: " + t.firstSkippedText());
    assertEquals(rows(head), t.entries().size());
    assertTrue(t.entries().stream().allMatch(e -> e.ownerStatus() == OwnerStatus.UNKNOWN && e.owners().isEmpty()));

    int rpc = index(t, Protocol.TCP, "0.0.0.0:135");
    assertEquals(List.of("RpcSs"), n.owners().get(rpc).services());
    assertEquals(Optional.of("svchost.exe"), n.owners().get(rpc).image());
    int smb = index(t, Protocol.TCP, "0.0.0.0:445");
    assertTrue(n.owners().get(smb).ownershipUnavailable()); // "Impossible d’obtenir ..."
    int lastAck = index(t, Protocol.TCP, "10.33.51.143:60367");
    assertEquals(SocketState.LAST_ACK, t.entries().get(lastAck).state());
    assertEquals(Optional.of("SearchHost.exe"), n.owners().get(lastAck).image());
    SocketEntry tw = find(t, Protocol.TCP, "10.33.51.143:60742");
    assertEquals(SocketState.TIME_WAIT, tw.state());
    assertEquals(WindowsOwnerInfo.NONE, n.owners().get(index(t, Protocol.TCP, "10.33.51.143:60742")));

    String tail = Fixtures.ownText("windows/netstat-anb-fr-tail.txt");
    WindowsNetstat m = WindowsNetstatParser.parseWithOwners(tail);
    ParsedTable u = m.table();
    assertEquals(0, u.skippedLines(), () -> "skipped: " + u.firstSkippedText());
    assertEquals(rows(tail), u.entries().size());
    SocketEntry connected = find(u, Protocol.UDP, "0.0.0.0:49195");
    assertEquals(SocketState.ESTABLISHED, connected.state());
    assertEquals("172.217.20.170:443", connected.remote().orElseThrow().toString());
    assertEquals(Optional.of("chrome.exe"), m.owners().get(index(u, Protocol.UDP, "0.0.0.0:49195")).image());
    SocketEntry ntp = find(u, Protocol.UDP, "0.0.0.0:123");
    assertEquals(SocketState.UNCONN, ntp.state());
    assertEquals(List.of("W32Time"), m.owners().get(index(u, Protocol.UDP, "0.0.0.0:123")).services());
    assertEquals(Optional.of("Microsoft.SharePoint.exe"),
        m.owners().get(index(u, Protocol.TCP, "[::1]:42050")).image());
  }

  @Test
  void chineseHeadersAreNotData() {
    ParsedTable t = WindowsNetstatParser.parse(Fixtures.ownText("windows/netstat-ano-zh-excerpt.txt"));
    assertEquals(0, t.skippedLines());
    assertEquals(2, t.entries().size());
    assertTrue(t.entries().stream().allMatch(e -> e.state() == SocketState.TIME_WAIT
        && e.ownerStatus() == OwnerStatus.NONE && e.local().port() == 8411));
  }

  @Test
  void crlfBomAndTrailingBlanksChangeNothing() {
    String lf = Fixtures.ownText("windows/netstat-nabo-es.txt");
    String crlfBom = "\uFEFF" + lf.replace("\n", "  \t \r\n");
    WindowsNetstat a = WindowsNetstatParser.parseWithOwners(lf);
    WindowsNetstat b = WindowsNetstatParser.parseWithOwners(crlfBom);
    assertEquals(a, b);
    assertFalse(a.table().entries().isEmpty());
  }

  // Synthetic rows: no real capture with these shapes was found (see fixtures/README.md). They pin
  // behaviour the structural parse promises, not a claim about what Windows prints.

  /** SYNTHETIC: a state word of several tokens, not in the table; the PID must not shift. */
  private static final String SYNTHETIC_MULTIWORD_STATE =
      "  TCP    0.0.0.0:8080           0.0.0.0:0              EN ÉCOUTE       1234\r\n";

  @Test
  void unknownStateWordKeepsTheRowAndItsPid() {
    ParsedTable t = WindowsNetstatParser.parse(SYNTHETIC_MULTIWORD_STATE);
    assertEquals(0, t.skippedLines());
    SocketEntry e = t.entries().get(0);
    assertEquals(SocketState.UNKNOWN, e.state());
    assertEquals(8080, e.local().port());
    assertOwner(e, 1234);
  }

  /** SYNTHETIC: rows that start like data but are not; headers and prose around them. */
  private static final String SYNTHETIC_BROKEN_ROWS = String.join("\n",
      "Active Connections",
      "  Proto  Local Address          Foreign Address        State           PID",
      "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1712",
      "  TCP    0.0.0.0:99999          0.0.0.0:0              LISTENING       4",
      "  TCP    DESKTOP-1:135          host:https             ESTABLISHED     4",
      "  UDP    0.0.0.0",
      "  TCP    0.0.0.0:136            0.0.0.0:0              LISTENING       99999999999",
      "  TCP    0.0.0.0:137            0.0.0.0:0",
      "Some trailing prose",
      "");

  @Test
  void malformedRowsAreCountedHeadersAreNot() {
    ParsedTable t = WindowsNetstatParser.parse(SYNTHETIC_BROKEN_ROWS);
    // DESKTOP-1:135 -> host:https is netstat -a without -n: host names kept, https is 443
    assertEquals(2, t.entries().size());
    assertEquals("host:443", t.entries().get(1).remote().orElseThrow().toString());
    assertEquals(4, t.skippedLines());
    assertEquals(4, t.firstSkippedLine().getAsInt());
    assertTrue(t.firstSkippedText().contains("99999"));
  }

  @Test
  void emptyAndBlankInputs() {
    assertEquals(0, WindowsNetstatParser.parse("").entries().size());
    assertEquals(0, WindowsNetstatParser.parse("\uFEFF\r\n\r\n").skippedLines());
    assertEquals(0, WindowsNetstatParser.parse(">\n> \n").skippedLines());
  }
}
