package dev.portdoctor.os.windows;

import static dev.portdoctor.testkit.TableChecks.assertSane;
import static dev.portdoctor.testkit.TableChecks.one;
import static dev.portdoctor.testkit.TableChecks.pids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.ParsedTable.LineNote;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.CaptureFormat;
import dev.portdoctor.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * PowerShell's console views of Get-NetTCPConnection / Get-NetUDPEndpoint. The real captures are under
 * {@code fixtures/pasted/powershell-table/} (provenance in each {@code .expect}); the narrow, cut,
 * wrapped, Format-List and unnamed-header forms no real capture was found for are {@code SYNTHETIC_}
 * strings here, laid out as PowerShell lays out its tables: a dashes line under the header, cells
 * padded to the column, one blank between columns, {@code ...} or {@code …} where a cell is cut.
 */
class NetTcpConnectionTableParserTest {

  private static ParsedTable table(String text) {
    ParsedTable t = NetTcpConnectionTableParser.parseTable(text, Protocol.TCP);
    assertSane(t);
    return t;
  }

  @Test
  void realDefaultView() {
    ParsedTable t = table(Fixtures.ownText("pasted/powershell-table/askai-ollama-localport-11434.txt"));
    assertEquals(1, t.entries().size());
    SocketEntry e = one(t, "127.0.0.1:11434", null);
    assertEquals(SocketState.LISTEN, e.state());
    assertEquals(List.of(10276L), pids(e));
    assertTrue(t.notes().isEmpty(), t.notes()::toString);
  }

  @Test
  void realAutoSizedView() {
    ParsedTable t = table(Fixtures.ownText("pasted/powershell-table/butteryoon-where-localport-22-autosize.txt"));
    assertEquals(3, t.entries().size());
    assertEquals(SocketState.ESTABLISHED, one(t, "[::1]:22", "[::1]:12699").state());
    assertEquals(SocketState.LISTEN, one(t, "[::]:22", null).state());
  }

  /** A Format-Table row: each cell padded to its column's width, one blank between columns. */
  private static String ft(int[] widths, String... cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      b.append(i + 1 < cells.length ? String.format("%-" + widths[i] + "s ", cells[i]) : cells[i]);
    }
    return b.toString().stripTrailing();
  }

  private static final int[] NARROW = {17, 9, 17, 10, 11, 13};

  /** SYNTHETIC: a narrow console, Windows PowerShell's "..." and PowerShell 7's "…". */
  static final String SYNTHETIC_NARROW = String.join("\n",
      ft(NARROW, "LocalAddress", "LocalPort", "RemoteAddress", "RemotePort", "State", "OwningProcess"),
      ft(NARROW, "------------", "---------", "-------------", "----------", "-----", "-------------"),
      ft(NARROW, "fe80::5d2a:1c...", "49670", "fe80::9f1b:77...", "443", "Established", "4412"),
      ft(NARROW, "10.0.0.5", "50001", "2001:db8:aa:bb...", "443", "Established", "4413"),
      ft(NARROW, "10.0.0.5", "50002", "20.42.65.85", "443", "Establi\u2026", "4414"),
      ft(NARROW, "10.0.0.5", "50003", "20.42.65.85", "443", "Clos\u2026", "4415"),
      ft(NARROW, "10.0.0.5", "50004", "20.42.65.85", "443", "Established", "44\u2026"),
      ft(NARROW, "0.0.0.0", "135", "0.0.0.0", "0", "Listen", "1012"),
      "");

  @Test
  void cutCellsKeepWhatIsSureAndSaySo() {
    ParsedTable t = table(SYNTHETIC_NARROW);
    List<LineNote> notes = t.notes();
    assertEquals(List.of(3, 4, 5, 6, 7), notes.stream().map(LineNote::line).toList(), notes::toString);
    assertTrue(notes.get(0).skipped() && notes.get(0).problem().contains("local address"), notes.get(0)::toString);
    // a cut remote address: the socket without its peer, said so
    SocketEntry noPeer = one(t, "10.0.0.5:50001", null);
    assertEquals(SocketState.ESTABLISHED, noPeer.state());
    assertTrue(!notes.get(1).skipped() && notes.get(1).problem().contains("remote address cut"), notes.get(1)::toString);
    assertEquals(SocketState.ESTABLISHED, one(t, "10.0.0.5:50002", "20.42.65.85:443").state(), "Establi… names one state");
    assertFalse(notes.get(2).skipped());
    assertEquals(SocketState.UNKNOWN, one(t, "10.0.0.5:50003", "20.42.65.85:443").state(), "Clos… is Closed or Closing");
    SocketEntry cutPid = one(t, "10.0.0.5:50004", "20.42.65.85:443");
    assertEquals(OwnerStatus.UNKNOWN, cutPid.ownerStatus());
    assertTrue(cutPid.owners().isEmpty(), "44… is not completed into a PID");
    assertTrue(notes.get(4).problem().contains("OwningProcess"));
    assertEquals(List.of(1012L), pids(one(t, "0.0.0.0:135", null)));
    assertEquals(5, t.entries().size());
    assertEquals(1, t.skippedLines());
  }

  private static final int[] WRAP = {18, 9, 18, 10, 11, 13};

  /** SYNTHETIC: Format-Table -Wrap: a long address continues on the next line, other cells blank; CRLF. */
  static final String SYNTHETIC_WRAP = String.join("\r\n",
      ft(WRAP, "LocalAddress", "LocalPort", "RemoteAddress", "RemotePort", "State", "OwningProcess"),
      ft(WRAP, "------------", "---------", "-------------", "----------", "-----", "-------------"),
      ft(WRAP, "fe80::808e:5a8a:b0", "50325", "fe80::808e:5a8a:b0", "8080", "Established", "5996"),
      ft(WRAP, "bd:568e%5", "", "bd:568e%5", "", "", ""),
      ft(WRAP, "::", "445", "::", "0", "Listen", "4"),
      "");

  @Test
  void wrappedCellsAreJoined() {
    ParsedTable t = table(SYNTHETIC_WRAP);
    assertTrue(t.notes().isEmpty(), t.notes()::toString);
    SocketEntry e = one(t, "[fe80::808e:5a8a:b0bd:568e%5]:50325", "[fe80::808e:5a8a:b0bd:568e%5]:8080");
    assertEquals(List.of(5996L), pids(e));
    assertEquals(List.of(4L), pids(one(t, "[::]:445", null)));
  }

  /** SYNTHETIC: Get-NetUDPEndpoint's view, and a Select-Object that keeps no address. */
  static final String SYNTHETIC_UDP_AND_SUBSET = String.join("\n",
      "PS C:\\> Get-NetUDPEndpoint -LocalPort 5353",
      "",
      "LocalAddress                             LocalPort",
      "------------                             ---------",
      "::                                       5353",
      "0.0.0.0                                  5353",
      "",
      "PS C:\\> Get-NetTCPConnection -State Listen | Select-Object LocalPort,OwningProcess",
      "",
      "LocalPort OwningProcess",
      "--------- -------------",
      "     8080          4242",
      "");

  @Test
  void udpViewTakesTheCallersProtocolAndASubsetWithoutAddressIsNamed() {
    ParsedTable t = NetTcpConnectionTableParser.parseTable(SYNTHETIC_UDP_AND_SUBSET, Protocol.UDP);
    assertSane(t);
    assertEquals(2, t.entries().size());
    assertTrue(t.entries().stream().allMatch(e -> e.protocol() == Protocol.UDP && e.state() == SocketState.UNCONN
        && e.ownerStatus() == OwnerStatus.UNKNOWN));
    assertEquals(1, t.skippedLines());
    assertEquals(12, t.firstSkippedLine().getAsInt());
    assertTrue(t.notes().get(0).problem().contains("no LocalAddress column"), t.notes()::toString);
  }

  private static final int[] OTHER = {16, 10, 16, 12, 11, 9};

  /** SYNTHETIC: a header in words this parser does not know; the cells tell the columns. */
  static final String SYNTHETIC_OTHER_HEADER = String.join("\n",
      ft(OTHER, "Adresse locale", "Port local", "Adresse distante", "Port distant", "Etat", "Processus"),
      ft(OTHER, "--------------", "----------", "----------------", "------------", "----", "---------"),
      ft(OTHER, "0.0.0.0", "3389", "0.0.0.0", "0", "Listen", "1116"),
      ft(OTHER, "192.168.1.10", "3389", "192.168.1.20", "50123", "Established", "1116"),
      "");

  @Test
  void columnsAreToldByShapeWhenTheHeaderIsUnknown() {
    ParsedTable t = table(SYNTHETIC_OTHER_HEADER);
    assertEquals(List.of(1116L), pids(one(t, "0.0.0.0:3389", null)));
    assertEquals(SocketState.ESTABLISHED, one(t, "192.168.1.10:3389", "192.168.1.20:50123").state());
    assertEquals(CaptureFormat.POWERSHELL_TABLE, CaptureFormat.detect(SYNTHETIC_OTHER_HEADER).orElseThrow());
  }

  /** SYNTHETIC: Format-List, two objects, a wrapped value, and a non-socket object after them. */
  static final String SYNTHETIC_LIST = String.join("\n",
      "PS C:\\> Get-NetTCPConnection -LocalPort 5985,50001 | Format-List",
      "",
      "",
      "LocalAddress   : ::",
      "LocalPort      : 5985",
      "RemoteAddress  : ::",
      "RemotePort     : 0",
      "State          : Listen",
      "AppliedSetting :",
      "OwningProcess  : 4",
      "CreationTime   : 1/14/2026 7:17:53 AM",
      "OffloadState   : InHost",
      "",
      "LocalAddress   : fe80::808e:5a8a:b0bd:568e",
      "                 %5",
      "LocalPort      : 50001",
      "RemoteAddress  : fe80::808e:5a8a:b0bd:568e%5",
      "RemotePort     : 8080",
      "State          : TimeWait",
      "OwningProcess  : 0",
      "",
      "SettingName : Internet",
      "MinRto(ms)  : 300",
      "");

  @Test
  void formatList() {
    ParsedTable t = NetTcpConnectionTableParser.parseList(SYNTHETIC_LIST, Protocol.UDP);
    assertSane(t);
    assertEquals(2, t.entries().size());
    SocketEntry l = one(t, "[::]:5985", null);
    assertEquals(Protocol.TCP, l.protocol(), "a State property makes it TCP whatever the caller said");
    assertEquals(List.of(4L), pids(l));
    SocketEntry tw = one(t, "[fe80::808e:5a8a:b0bd:568e%5]:50001", "[fe80::808e:5a8a:b0bd:568e%5]:8080");
    assertEquals(SocketState.TIME_WAIT, tw.state());
    assertEquals(OwnerStatus.NONE, tw.ownerStatus(), "PID 0 is the System Idle Process: no owner");
    assertTrue(t.notes().isEmpty(), t.notes()::toString);
    assertEquals(CaptureFormat.POWERSHELL_LIST, CaptureFormat.detect(SYNTHETIC_LIST).orElseThrow());
  }

  @Test
  void detection() {
    assertEquals(CaptureFormat.POWERSHELL_TABLE, CaptureFormat.detect(SYNTHETIC_NARROW).orElseThrow());
    assertEquals(CaptureFormat.POWERSHELL_TABLE, CaptureFormat.detect(SYNTHETIC_UDP_AND_SUBSET).orElseThrow());
    assertEquals(CaptureFormat.POWERSHELL_CSV,
        CaptureFormat.detect("\"LocalAddress\",\"LocalPort\"\n\"::\",\"135\"\n").orElseThrow());
    assertEquals("Established", NetTcpConnectionTableParser.stateByPrefix("Establi"));
    assertEquals("", NetTcpConnectionTableParser.stateByPrefix("Clos"));
  }

  /** A "header" of 100,000 columns over 2,000 rows is not a table and costs no rows-times-columns. */
  @Test
  void hugeHostileHeaderIsNotATable() {
    String text = "a ".repeat(100_000) + "\n" + "- ".repeat(100_000) + "\n" + "1.2.3.4 80\n".repeat(2_000);
    ParsedTable t = table(text); // linear: a rows-times-columns parse would not finish in the build
    assertEquals(0, t.entries().size());
    assertTrue(t.notes().isEmpty(), "the rows are not read against 100,000 columns");
  }

  @Property(tries = 400)
  void neverThrowsAndKeepsInvariants(@ForAll("mangled") String text) {
    assertSane(NetTcpConnectionTableParser.parseTable(text, Protocol.TCP));
    assertSane(NetTcpConnectionTableParser.parseList(text, Protocol.TCP));
  }

  @Provide
  Arbitrary<String> mangled() {
    List<String> lines = new ArrayList<>();
    for (String s : List.of(SYNTHETIC_NARROW, SYNTHETIC_WRAP, SYNTHETIC_LIST, SYNTHETIC_OTHER_HEADER)) {
      lines.addAll(WindowsText.lines(s));
    }
    return ParserInvariants.mangled(lines);
  }
}
