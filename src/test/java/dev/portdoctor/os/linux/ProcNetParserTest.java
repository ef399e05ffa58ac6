package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.testkit.Fixtures;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProcNetParserTest {

  private static ParsedTable parse(Protocol p, boolean v6, String text) {
    return new ProcNetParser(p, v6, ByteOrder.LITTLE_ENDIAN).parse(text);
  }

  private static SocketEntry find(List<SocketEntry> entries, String local) {
    return entries.stream().filter(e -> e.local().toString().equals(local)).findFirst()
        .orElseThrow(() -> new AssertionError(local + " not in " + entries));
  }

  /** jc's capture of /proc/net/tcp (two dumps concatenated; see ../shared/fixtures/README.md). */
  @Test
  void sharedTcpFixture() {
    ParsedTable t = parse(Protocol.TCP, false, Fixtures.sharedText("linux/jc-proc-net-tcp.txt"));
    assertEquals(0, t.skippedLines(), () -> "skipped: " + t.firstSkippedText());

    SocketEntry dns = find(t.entries(), "127.0.0.53:53");
    assertEquals(SocketState.LISTEN, dns.state());
    assertEquals(101, dns.uid().getAsInt());
    assertEquals(34000, dns.inode().getAsLong());
    assertTrue(dns.remote().isEmpty());

    assertEquals(34523, find(t.entries(), "127.0.0.1:631").inode().getAsLong());
    assertEquals(23459, find(t.entries(), "0.0.0.0:22").inode().getAsLong());

    SocketEntry closeWait = find(t.entries(), "192.168.42.128:54352");
    assertEquals(SocketState.CLOSE_WAIT, closeWait.state());
    assertEquals("152.199.4.33:443", closeWait.remote().orElseThrow().toString());
    assertEquals(1000, closeWait.uid().getAsInt());

    SocketEntry ssh = find(t.entries(), "10.0.0.28:22");
    assertEquals(SocketState.ESTABLISHED, ssh.state());
    assertEquals("10.0.0.146:56779", ssh.remote().orElseThrow().toString());
    assertEquals(41558, ssh.inode().getAsLong());

    // st 04 is FIN_WAIT1, st 06 TIME_WAIT; their inode is 0: no process owns them
    SocketEntry finWait = find(t.entries(), "10.0.0.28:42082");
    assertEquals(SocketState.FIN_WAIT1, finWait.state());
    SocketEntry timeWait = find(t.entries(), "10.0.0.28:38864");
    assertEquals(SocketState.TIME_WAIT, timeWait.state());
    assertTrue(timeWait.inode().isEmpty());
    assertEquals(OwnerStatus.NONE, timeWait.ownerStatus());
  }

  @Test
  void sharedTcp6Fixture() {
    ParsedTable t = parse(Protocol.TCP, true, Fixtures.sharedText("linux/jc-proc-net-tcp6.txt"));
    assertEquals(0, t.skippedLines());
    SocketEntry ssh = find(t.entries(), "[::]:22");
    assertEquals(SocketState.LISTEN, ssh.state());
    assertEquals(23556, ssh.inode().getAsLong());

    SocketEntry tw = find(t.entries(), "[2601:646:9e01:f100::3a4c]:59136");
    assertEquals(SocketState.TIME_WAIT, tw.state());
    assertEquals("[2a03:2880:f131:83:face:b00c:0:25de]:80", tw.remote().orElseThrow().toString());
    List<SocketEntry> others = t.entries().stream().filter(e -> !e.local().address().equals("::")).toList();
    assertTrue(others.stream().allMatch(e -> e.state() == SocketState.TIME_WAIT && e.inode().isEmpty()), others::toString);
  }

  /** The query filters before anything is built: port, protocol, listening only. */
  @Test
  void filtersByQuery() {
    String text = Fixtures.sharedText("linux/jc-proc-net-tcp.txt");
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    SocketQuery q = new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.of(22, 53), true, false);
    ParsedTable t = new ProcNetParser(Protocol.TCP, false, ByteOrder.LITTLE_ENDIAN).parse(b, b.length, q);
    assertEquals(List.of("0.0.0.0:22", "127.0.0.53:53"),
        t.entries().stream().map(e -> e.local().toString()).sorted().collect(Collectors.toList()));
    SocketQuery udpOnly = new SocketQuery(EnumSet.of(Protocol.UDP), PortSet.all(), false, false);
    assertEquals(0, new ProcNetParser(Protocol.TCP, false, ByteOrder.LITTLE_ENDIAN).parse(b, b.length, udpOnly).entries().size());
  }

  /**
   * Captured on this project's machine (Debian 12, kernel on x86_64) from /proc/net/tcp6 and udp while
   * a test listener ran; see src/test/resources/fixtures/README.md.
   */
  @Test
  void ownCaptures() {
    ParsedTable v6 = parse(Protocol.TCP, true, Fixtures.ownText("proc-net/tcp6-v4mapped.txt"));
    assertEquals(0, v6.skippedLines());
    SocketEntry mapped = find(v6.entries(), "[::ffff:127.0.0.1]:18081");
    assertEquals(SocketState.ESTABLISHED, mapped.state());
    SocketEntry loop = find(v6.entries(), "[::1]:18082");
    assertEquals(SocketState.LISTEN, loop.state());

    ParsedTable udp = parse(Protocol.UDP, false, Fixtures.ownText("proc-net/udp.txt"));
    assertEquals(0, udp.skippedLines());
    SocketEntry u = find(udp.entries(), "127.0.0.1:18083");
    assertEquals(SocketState.UNCONN, u.state());
    assertTrue(u.inode().isPresent());
  }

  @Test
  void bigEndianMachinesPrintAddressesTheOtherWayRound() {
    String row = "   0: 7F000001:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0 100 0 0 10 0\n";
    ParsedTable t = new ProcNetParser(Protocol.TCP, false, ByteOrder.BIG_ENDIAN).parse(row);
    assertEquals("127.0.0.1:80", t.entries().get(0).local().toString());
  }

  @Test
  void malformedRowsAreCountedNotGuessed() {
    String text = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        + "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1\n"
        + "   1: ZZZZZZZZ:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1\n"
        + "   2: 0100007F:0050 00000000:0000\n"
        + "garbage\n"
        + "\r\n";
    ParsedTable t = parse(Protocol.TCP, false, text);
    assertEquals(1, t.entries().size());
    assertEquals(3, t.skippedLines());
    assertEquals(3, t.firstSkippedLine().getAsInt());
  }

  @Test
  void crlfAndTrailingBlanksAreTolerated() {
    String text = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000   0   0 99 1  \r\n";
    ParsedTable t = parse(Protocol.TCP, false, text);
    assertEquals(0, t.skippedLines());
    assertEquals("127.0.0.1:8080", t.entries().get(0).local().toString());
  }
}
