package dev.portdoctor.os.mac;

import static dev.portdoctor.testkit.TableChecks.assertSane;
import static dev.portdoctor.testkit.TableChecks.at;
import static dev.portdoctor.testkit.TableChecks.names;
import static dev.portdoctor.testkit.TableChecks.one;
import static dev.portdoctor.testkit.TableChecks.pids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Lines;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.MangledInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Real captures are in src/test/resources/fixtures/netstat-mac/, their sources in the README there. */
class BsdNetstatParserTest {

  private static ParsedTable parse(String text) {
    ParsedTable t = BsdNetstatParser.parse(text);
    assertSane(t);
    return t;
  }

  /** macOS 26 (sindresorhus/pid-port#14): {@code process:pid} with a name holding a space. */
  @Test
  void tahoeNamedPid() {
    ParsedTable t = parse(Fixtures.ownText("netstat-mac/pidport14-tahoe-anv-tcp.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(2, t.entries().size());
    SocketEntry e = one(t, "127.0.0.1:49515", "127.0.0.1:49472");
    assertEquals(Protocol.TCP, e.protocol());
    assertEquals(SocketState.ESTABLISHED, e.state());
    assertEquals(List.of(22712L), pids(e));
    assertEquals(List.of("Autodesk Fusion"), names(e));
    assertEquals(List.of(22712L), pids(one(t, "127.0.0.1:49510", "127.0.0.1:49513")));
  }

  /** macOS 10.14 (danielkrainas/node-netstat#26): {@code netstat -v -n -p tcp}, pid/epid/state/options. */
  @Test
  void mojavePidEpid() {
    ParsedTable t = parse(Fixtures.ownText("netstat-mac/nodenetstat26-mojave-vnp-tcp.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(7, t.entries().size());
    assertTrue(t.entries().stream().allMatch(e -> pids(e).equals(List.of(9811L))));
    SocketEntry closeWait = one(t, "192.168.1.191:52040", "140.82.114.4:443");
    assertEquals(SocketState.CLOSE_WAIT, closeWait.state());
    assertEquals(SocketState.ESTABLISHED, one(t, "192.168.1.191:52044", "31.13.66.35:443").state());
  }

  /** macOS 10.12 (kevva/pid-from-port#3): {@code netstat -anv -p udp}, the state column blank. */
  @Test
  void sierraUdp() {
    ParsedTable t = parse(Fixtures.ownText("netstat-mac/pidfromport3-sierra-anv-udp.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(2, t.entries().size());
    SocketEntry e = one(t, "192.168.11.160:57110", "172.217.12.232:443");
    assertEquals(Protocol.UDP, e.protocol());
    assertEquals(SocketState.ESTABLISHED, e.state());
    assertEquals(List.of(505L), pids(e));
  }

  /**
   * {@code netstat -anv} without {@code -p} on an older macOS (JNHolman/servicenow-incident-pack):
   * tcp4/tcp6/udp4/udp6/udp46, cut IPv6 addresses, TIME_WAIT with the last PID, unbound UDP sockets,
   * and the Multipath and UNIX sections that follow.
   */
  @Test
  void olderMacosAllProtocols() {
    ParsedTable t = parse(Fixtures.ownText("netstat-mac/incidentpack-anv.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    // 30 TCP rows; 72 UDP rows of which 38 are "*.*" (not bound to a port) and left out
    assertEquals(64, t.entries().size());
    assertEquals(30, t.entries().stream().filter(e -> e.protocol() == Protocol.TCP).count());

    SocketEntry afp4 = one(t, "0.0.0.0:548", null);
    assertEquals(SocketState.LISTEN, afp4.state());
    assertEquals(List.of(1L), pids(afp4));
    SocketEntry cups6 = one(t, "[::]:631", null);
    assertEquals(SocketState.LISTEN, cups6.state());
    assertEquals(List.of(196L), pids(cups6));
    assertEquals(List.of(848L), pids(one(t, "127.0.0.1:49399", null)));

    // macOS prints the PID that last had a TIME_WAIT socket; it holds nothing any more
    SocketEntry timeWait = one(t, "192.168.1.98:51745", "1.1.1.1:443");
    assertEquals(SocketState.TIME_WAIT, timeWait.state());
    assertEquals(OwnerStatus.NONE, timeWait.ownerStatus());
    assertTrue(timeWait.owners().isEmpty());

    // without -W, long IPv6 addresses are cut to fit the column; the port is whole
    SocketEntry cut = one(t, "[2603:6010:7c00:4]:51737", "[2606:50c0:8003::]:443");
    assertEquals(List.of(704L), pids(cut));
    assertEquals("fe80::cdac:d366:", one(t, "[fe80::ab45:b3fd:]:1025", "[fe80::cdac:d366:]:1026")
        .remote().orElseThrow().address());

    List<SocketEntry> mdns = at(t, "[::]:5353");
    assertEquals(11, mdns.size());
    assertTrue(mdns.stream().allMatch(e -> e.protocol() == Protocol.UDP && e.state() == SocketState.UNCONN));
    assertEquals(3, at(t, "0.0.0.0:5353").size());
    assertEquals(List.of(25259L), pids(one(t, "0.0.0.0:138", null)));
    SocketEntry quic = one(t, "[2603:6010:7c00:4]:50386", "[2a06:98c1:3100::]:443");
    assertEquals(SocketState.ESTABLISHED, quic.state());
  }

  /**
   * SYNTHETIC: macOS 15's layout ({@code rxbytes txbytes} before {@code pid epid}). The header is the
   * one quoted in sindresorhus/pid-port#12; the rows are built to it, as no real rows were found.
   */
  private static final String SYNTHETIC_SEQUOIA = String.join("\n",
      "Active Internet connections (including servers)",
      "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)        rxbytes    txbytes  rhiwat"
          + "  shiwat    pid   epid state  options           gencnt    flags   flags1 usecnt rtncnt fltrs",
      "tcp46      0      0  *.8080                 *.*                    LISTEN               0          0  131072"
          + "  131072  18432      0 00100 00000106 0000000000d6f3 00000000 00000800      1      0 000000",
      "tcp4       0      0  127.0.0.1.8080         127.0.0.1.52344        SYN_RCVD             0          0  131072"
          + "  131072  18432      0 00100 00000106 0000000000d6f4 00000000 00000800      1      0 000000",
      "udp4       0      0  *.5353                 *.*                                   120        300  786896"
          + "    9216    357      0 00000 00000000 0000000000d6f5 00000000 00000800      1      0 000000");

  @Test
  void sequoiaLayout() {
    ParsedTable t = parse(SYNTHETIC_SEQUOIA);
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(List.of(18432L), pids(one(t, "[::]:8080", null)));
    assertEquals(SocketState.SYN_RECV, one(t, "127.0.0.1:8080", "127.0.0.1:52344").state());
    SocketEntry udp = one(t, "0.0.0.0:5353", null);
    assertEquals(List.of(357L), pids(udp));
    assertEquals(SocketState.UNCONN, udp.state());
  }

  /**
   * SYNTHETIC: macOS 26 rows for cases the real capture lacks: a UDP row (no state), a 16-character
   * name cut inside parentheses, a name ending in a space, the kernel as owner, a scoped link-local
   * address, and a row whose trailing columns are missing.
   */
  private static final String SYNTHETIC_TAHOE = String.join("\n",
      "Active Internet connections (including servers)",
      "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)          rxbytes      txbytes"
          + "  rhiwat  shiwat          process:pid    state  options           gencnt    flags   flags1 usecnt rtncnt"
          + " fltrs",
      "udp4       0      0  *.5353                 *.*                                        0            0"
          + "  786896    9216   mDNSResponder:501   00000 00000000 000000000025c5ff 00000000 00000800      1      0"
          + " 000000",
      "tcp4       0      0  127.0.0.1.62243        *.*                    LISTEN                 0            0"
          + "  131072  131072 Code Helper (Plu:17120  00100 00000106 00000000090093f4 00000001 00000800      1"
          + "      0 000000",
      "tcp4       0      0  192.168.8.64.49943     4.150.223.114.443      ESTABLISHED        19494         4590"
          + "  131072  132104 Antigravity IDE :2086   00102 00000008 000000000025c5f1 00000080 01000800      2"
          + "      0 000000",
      "tcp4       0      0  192.168.8.64.445       192.168.8.2.50000      ESTABLISHED          100          200"
          + "  131072  131328      kernel_task:0      00082 00000008 00000000004fcf65 00000082 04104900      4"
          + "      0 000000",
      "udp6       0      0  fe80::1%lo0.5353       *.*                                        0            0"
          + "  786896    9216   mDNSResponder:501",
      "Active LOCAL (UNIX) domain sockets",
      "Address          Type   Recv-Q Send-Q            Inode             Conn             Refs          Nextref"
          + "      rxbytes      txbytes  rhiwat  shiwat          process:pid    state  options",
      "884704a288ad5059 stream      0      0                0 c77b5c4fd4d46d6d                0                0"
          + "            0            0    8192    8192     launchd:1      00000 00000000");

  @Test
  void tahoeCases() {
    ParsedTable t = parse(SYNTHETIC_TAHOE);
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(5, t.entries().size());
    SocketEntry mdns = one(t, "0.0.0.0:5353", null);
    assertEquals(List.of("mDNSResponder"), names(mdns));
    assertEquals(List.of(501L), pids(mdns));
    assertEquals(List.of("Code Helper (Plu"), names(one(t, "127.0.0.1:62243", null)));
    assertEquals(List.of("Antigravity IDE"), names(one(t, "192.168.8.64:49943", "4.150.223.114:443")));
    SocketEntry kernel = one(t, "192.168.8.64:445", "192.168.8.2:50000");
    assertEquals(OwnerStatus.NONE, kernel.ownerStatus());
    assertTrue(kernel.owners().isEmpty());
    assertEquals(List.of(501L), pids(one(t, "[fe80::1%lo0]:5353", null)));
  }

  /**
   * SYNTHETIC: {@code netstat -an} (no {@code -v}, so no process column), service and host names
   * from a run without {@code -n}, an ICMPv6 socket, and broken rows.
   */
  private static final String SYNTHETIC_PLAIN = String.join("\n",
      "Active Internet connections (including servers)",
      "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)",
      "tcp4       0      0  *.http                 *.*                    LISTEN",
      "tcp6       0      0  ::1.631                *.*                    LISTEN",
      "tcp4       0      0  10.0.0.5.51000         10.0.0.1.22            FIN_WAIT_2",
      "icm6       0      0  *.*                    *.*",
      "tcp4       0      0  mymac.local.22         *.*                    LISTEN",
      "tcp4       0      0  *.x11                  *.*                    LISTEN",
      "tcp4       0      0  *.99999                *.*                    LISTEN",
      "tcp5       0      0  *.80                   *.*                    LISTEN",
      "tcp4       0",
      "Active kernel control sockets",
      "Proto Recv-Q Send-Q   unit     id name",
      "kctl       0      0      1      2 com.apple.netsrc");

  @Test
  void withoutProcessColumn() {
    ParsedTable t = parse(SYNTHETIC_PLAIN);
    assertEquals(3, t.entries().size());
    assertTrue(t.entries().stream().allMatch(e -> e.ownerStatus() == OwnerStatus.UNKNOWN));
    assertEquals(SocketState.LISTEN, one(t, "0.0.0.0:80", null).state());
    assertEquals(SocketState.LISTEN, one(t, "[::1]:631", null).state());
    assertEquals(SocketState.FIN_WAIT2, one(t, "10.0.0.5:51000", "10.0.0.1:22").state());
    assertEquals(5, t.skippedLines());
    assertEquals(7, t.firstSkippedLine().getAsInt());
  }

  /** Looking for the {@code name:pid} field stays linear on a row of endless name words. */
  @Test
  void hugeHostileInputFinishes() {
    String header = Lines.of(SYNTHETIC_TAHOE).get(1) + "\n";
    String words = "tcp4 0 0 127.0.0.1.80 *.* LISTEN 0 0 1 1 " + "Helper ".repeat(300_000) + "\n";
    String rows = ("tcp4 0 0 127.0.0.1.80 *.* LISTEN 0 0 1 1 A B C:7 00100 00000106 0000000000 0 0 1 0 0\n")
        .repeat(20_000);
    ParsedTable t = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> parse(header + words + rows));
    assertEquals(20_000, t.entries().size());
    assertEquals(1, t.skippedLines());
  }

  @Property(tries = 400)
  void neverThrowsAndKeepsInvariants(@ForAll("mangled") String text) {
    assertSane(BsdNetstatParser.parse(text));
  }

  @Provide
  Arbitrary<String> mangled() {
    List<String> lines = new ArrayList<>(Lines.of(Fixtures.ownText("netstat-mac/pidport14-tahoe-anv-tcp.txt")));
    lines.addAll(Lines.of(Fixtures.ownText("netstat-mac/incidentpack-anv.txt")).subList(0, 40));
    lines.addAll(Lines.of(SYNTHETIC_TAHOE));
    lines.addAll(Lines.of(SYNTHETIC_SEQUOIA));
    return MangledInput.around(lines);
  }
}
