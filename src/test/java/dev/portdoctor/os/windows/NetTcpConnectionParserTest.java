package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No real capture of {@code Get-NetTCPConnection}/{@code Get-NetUDPEndpoint} piped to ConvertTo-Csv,
 * Export-Csv or ConvertTo-Json was found in public sources (see fixtures/README.md). Every input below is
 * therefore SYNTHETIC: written here from the documented field names ({@code MSFT_NetTCPConnection}) and
 * enum values (1 Closed ... 12 DeleteTCB), to pin the parser's behaviour, not to claim what PowerShell
 * prints byte for byte.
 */
class NetTcpConnectionParserTest {

  /** SYNTHETIC: ConvertTo-Csv style, with the #TYPE line of Windows PowerShell and an extra column. */
  static final String SYNTHETIC_TCP_CSV = String.join("\r\n",
      "#TYPE Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetTCPConnection",
      "\"LocalAddress\",\"LocalPort\",\"RemoteAddress\",\"RemotePort\",\"State\",\"AppliedSetting\","
          + "\"OwningProcess\"",
      "\"0.0.0.0\",\"135\",\"0.0.0.0\",\"0\",\"Listen\",\"\",\"1712\"",
      "\"::\",\"445\",\"::\",\"0\",\"Listen\",\"\",\"4\"",
      "\"127.0.0.1\",\"1031\",\"127.0.0.1\",\"1032\",\"Established\",\"Internet\",\"10644\"",
      "\"192.168.1.5\",\"50000\",\"93.184.216.34\",\"443\",\"TimeWait\",\"Internet\",\"0\"",
      "\"fe80::1%12\",\"5357\",\"::\",\"0\",\"Listen\",\"\",\"4\"",
      "\"10.0.0.1\",\"8080\",\"0.0.0.0\",\"0\",\"SomethingNew\",\"\",\"321\"",
      "\"0.0.0.0\",\"99999\",\"0.0.0.0\",\"0\",\"Listen\",\"\",\"1\"",
      "\"not-an-address\",\"80\",\"0.0.0.0\",\"0\",\"Listen\",\"\",\"1\"",
      "\"0.0.0.0\",\"81\",\"0.0.0.0\"",
      "\"0.0.0.0\",\"82\",\"0.0.0.0\",\"0\",\"Listen\",\"\",\"-5\"",
      "");

  /** SYNTHETIC: ConvertTo-Csv -UseCulture on a machine whose list separator is ';'. */
  private static final String SYNTHETIC_TCP_CSV_SEMICOLON = String.join("\n",
      "\"LocalAddress\";\"LocalPort\";\"RemoteAddress\";\"RemotePort\";\"State\";\"OwningProcess\"",
      "\"0.0.0.0\";\"3389\";\"0.0.0.0\";\"0\";\"Listen\";\"1234\"");

  /** SYNTHETIC: Get-NetUDPEndpoint | ConvertTo-Csv -NoTypeInformation. */
  private static final String SYNTHETIC_UDP_CSV = String.join("\n",
      "\"LocalAddress\",\"LocalPort\",\"OwningProcess\"",
      "\"0.0.0.0\",\"5353\",\"3404\"",
      "\"::1\",\"1900\",\"\"");

  /** SYNTHETIC: ConvertTo-Json of Windows PowerShell: State as its enum number. */
  static final String SYNTHETIC_TCP_JSON = "[\r\n"
      + "  {\"LocalAddress\": \"0.0.0.0\", \"LocalPort\": 135, \"RemoteAddress\": \"0.0.0.0\","
      + " \"RemotePort\": 0, \"State\": 2, \"OwningProcess\": 1712},\r\n"
      + "  {\"LocalAddress\": \"::1\", \"LocalPort\": 1025, \"RemoteAddress\": \"::1\","
      + " \"RemotePort\": 50000, \"State\": 5, \"OwningProcess\": 6088},\r\n"
      + "  {\"LocalAddress\": \"10.0.0.2\", \"LocalPort\": 50001, \"RemoteAddress\": \"10.0.0.3\","
      + " \"RemotePort\": 443, \"State\": 11, \"OwningProcess\": 0},\r\n"
      + "  {\"LocalAddress\": \"10.0.0.2\", \"LocalPort\": 50002, \"RemoteAddress\": \"10.0.0.3\","
      + " \"RemotePort\": 443, \"State\": 100, \"OwningProcess\": 77},\r\n"
      + "  {\"LocalAddress\": \"10.0.0.2\", \"LocalPort\": \"50003\", \"State\": \"CloseWait\","
      + " \"OwningProcess\": \"78\"},\r\n"
      + "  {\"LocalAddress\": \"10.0.0.2\", \"LocalPort\": 70000, \"State\": 2, \"OwningProcess\": 1},\r\n"
      + "  \"not an object\"\r\n"
      + "]\r\n";

  private static SocketEntry at(ParsedTable t, int port) {
    return t.entries().stream().filter(e -> e.local().port() == port).findFirst()
        .orElseThrow(() -> new AssertionError(port + " not in " + t.entries()));
  }

  private static List<Long> pids(SocketEntry e) {
    return e.owners().stream().map(Owner::pid).collect(Collectors.toList());
  }

  @Test
  void tcpCsv() {
    ParsedTable t = NetTcpConnectionParser.parse(SYNTHETIC_TCP_CSV, Protocol.TCP);
    assertEquals(6, t.entries().size(), t::toString);
    assertEquals(4, t.skippedLines());
    assertEquals(9, t.firstSkippedLine().getAsInt());

    SocketEntry rpc = at(t, 135);
    assertEquals(SocketState.LISTEN, rpc.state());
    assertTrue(rpc.remote().isEmpty());
    assertEquals(List.of(1712L), pids(rpc));
    assertEquals(OwnerStatus.KNOWN, rpc.ownerStatus());
    assertEquals("::", at(t, 445).local().address());
    SocketEntry est = at(t, 1031);
    assertEquals(SocketState.ESTABLISHED, est.state());
    assertEquals("127.0.0.1:1032", est.remote().orElseThrow().toString());
    SocketEntry tw = at(t, 50000);
    assertEquals(SocketState.TIME_WAIT, tw.state());
    assertEquals(OwnerStatus.NONE, tw.ownerStatus());
    assertTrue(tw.owners().isEmpty());
    assertEquals("fe80::1%12", at(t, 5357).local().address());
    assertEquals(SocketState.UNKNOWN, at(t, 8080).state());
    assertEquals(List.of(321L), pids(at(t, 8080)));
  }

  @Test
  void semicolonCsv() {
    ParsedTable t = NetTcpConnectionParser.parseCsv(SYNTHETIC_TCP_CSV_SEMICOLON, Protocol.TCP);
    assertEquals(0, t.skippedLines());
    assertEquals(SocketState.LISTEN, at(t, 3389).state());
    assertEquals(List.of(1234L), pids(at(t, 3389)));
  }

  @Test
  void udpCsv() {
    ParsedTable t = NetTcpConnectionParser.parse(SYNTHETIC_UDP_CSV, Protocol.UDP);
    assertEquals(0, t.skippedLines());
    assertEquals(SocketState.UNCONN, at(t, 5353).state());
    assertEquals(List.of(3404L), pids(at(t, 5353)));
    assertEquals(OwnerStatus.UNKNOWN, at(t, 1900).ownerStatus()); // empty OwningProcess
  }

  @Test
  void tcpJsonWithNumericStates() {
    ParsedTable t = NetTcpConnectionParser.parse("\uFEFF" + SYNTHETIC_TCP_JSON, Protocol.TCP);
    assertEquals(5, t.entries().size(), t::toString);
    assertEquals(2, t.skippedLines());
    assertEquals(6, t.firstSkippedLine().getAsInt()); // the 6th object: port 70000
    assertEquals(SocketState.LISTEN, at(t, 135).state());
    assertEquals(SocketState.ESTABLISHED, at(t, 1025).state());
    assertEquals(SocketState.TIME_WAIT, at(t, 50001).state());
    assertEquals(OwnerStatus.NONE, at(t, 50001).ownerStatus());
    assertEquals(SocketState.UNKNOWN, at(t, 50002).state()); // 100: not in Microsoft's table
    assertEquals(SocketState.CLOSE_WAIT, at(t, 50003).state());
    assertEquals(List.of(78L), pids(at(t, 50003)));
  }

  @Test
  void jsonShapes() {
    String one = "{\"LocalAddress\":\"0.0.0.0\",\"LocalPort\":80,\"State\":\"Listen\",\"OwningProcess\":4}";
    assertEquals(1, NetTcpConnectionParser.parse(one, Protocol.TCP).entries().size());
    String wrapped = "{\"value\":[" + one + "," + one + "],\"Count\":2}";
    assertEquals(2, NetTcpConnectionParser.parseJson(wrapped, Protocol.TCP).entries().size());
    String udp = "[{\"LocalAddress\":\"::\",\"LocalPort\":5355,\"OwningProcess\":1904}]";
    assertEquals(SocketState.UNCONN, NetTcpConnectionParser.parse(udp, Protocol.UDP).entries().get(0).state());
    ParsedTable broken = NetTcpConnectionParser.parse("[{\"LocalAddress\": ", Protocol.TCP);
    assertEquals(1, broken.skippedLines());
    assertEquals(0, broken.entries().size());
    ParsedTable deep = NetTcpConnectionParser.parse("[".repeat(5000) + "]".repeat(5000), Protocol.TCP);
    assertEquals(0, deep.entries().size());
    assertEquals(0, NetTcpConnectionParser.parse("[]", Protocol.TCP).skippedLines());
  }

  @Test
  void csvWithoutTheColumnsIsNotThisTable() {
    ParsedTable t = NetTcpConnectionParser.parseCsv("\"Name\",\"Id\"\n\"x\",\"1\"\n", Protocol.TCP);
    assertEquals(0, t.entries().size());
    assertEquals(1, t.skippedLines());
    assertEquals(1, t.firstSkippedLine().getAsInt());
  }
}
