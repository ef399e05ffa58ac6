package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketState;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rows of a sock_diag dump (the int layout of portdoctor_linux.c) become the same entries as the
 * /proc/net rows of the same sockets would: each case here is written both ways, as a dump row and as
 * the /proc/net/tcp line the kernel prints for that socket, and the two must agree. No native library
 * is needed: this runs on every OS.
 */
class SockDiagTableTest {
  private static final SocketQuery ALL = new SocketQuery(EnumSet.allOf(Protocol.class), PortSet.all(), false, true);

  /** One dump: status 0, then the rows. */
  private static int[] dump(int[]... rows) {
    int[] out = new int[1 + rows.length * LinuxNative.ROW];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, 1 + i * LinuxNative.ROW, LinuxNative.ROW);
    }
    return out;
  }

  /** A row: state, ports, uid, inode, then the two addresses as 4 words each (network order). */
  private static int[] row(int st, int lport, int rport, int uid, long inode, int[] local, int[] remote) {
    int[] r = new int[LinuxNative.ROW];
    r[0] = st;
    r[1] = lport;
    r[2] = rport;
    r[3] = uid;
    r[4] = (int) inode;
    System.arraycopy(local, 0, r, 5, 4);
    System.arraycopy(remote, 0, r, 9, 4);
    return r;
  }

  private static int[] v4(int a, int b, int c, int d) {
    return new int[] {(a << 24) | (b << 16) | (c << 8) | d, 0, 0, 0};
  }

  private static final int[] ANY4 = v4(0, 0, 0, 0);
  private static final int[] ANY6 = {0, 0, 0, 0};
  private static final int[] LOOP6 = {0, 0, 0, 1};
  private static final int[] MAPPED_LOOP = {0, 0, 0xffff, 0x7f000001};

  private static List<SocketEntry> entries(Protocol p, boolean v6, int[] dump, SocketQuery q) {
    List<SocketEntry> out = new ArrayList<>();
    SockDiagTable.entries(p, v6, dump, q, out);
    return out;
  }

  /** What ProcNetParser makes of the same socket's /proc/net line (little-endian, as on x86 and arm64). */
  private static List<SocketEntry> proc(Protocol p, boolean v6, String line) {
    byte[] b = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        + line + "\n").getBytes(StandardCharsets.US_ASCII);
    return new ProcNetParser(p, v6, ByteOrder.LITTLE_ENDIAN).parse(b, b.length, null).entries();
  }

  @Test
  void listenerAndConnectionInIpv4AreTheProcRows() {
    int[] d = dump(row(10, 8080, 0, 1000, 4242, v4(127, 0, 0, 1), ANY4),
        row(1, 8080, 50000, 1000, 4343, v4(127, 0, 0, 1), v4(127, 0, 0, 1)),
        row(6, 8080, 50001, 0, 0, v4(127, 0, 0, 1), v4(127, 0, 0, 1)));
    List<SocketEntry> e = entries(Protocol.TCP, false, d, ALL);
    List<SocketEntry> expected = new ArrayList<>();
    expected.addAll(proc(Protocol.TCP, false,
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0"));
    expected.addAll(proc(Protocol.TCP, false,
        "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0 20 4 30 10 -1"));
    expected.addAll(proc(Protocol.TCP, false,
        "   2: 0100007F:1F90 0100007F:C351 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0"));
    assertEquals(expected, e);
    assertEquals(Optional.empty(), e.get(0).remote());
    assertEquals(OwnerStatus.NONE, e.get(2).ownerStatus(), "TIME_WAIT: no inode, no owner");
  }

  @Test
  void ipv6LoopbackWildcardAndV4MappedAreTheProcRows() {
    int[] d = dump(row(10, 7070, 0, 0, 5001, ANY6, ANY6),
        row(1, 7070, 40000, 0, 5002, MAPPED_LOOP, MAPPED_LOOP),
        row(1, 40001, 7070, 0, 5003, LOOP6, LOOP6));
    List<SocketEntry> e = entries(Protocol.TCP, true, d, ALL);
    List<SocketEntry> expected = new ArrayList<>();
    expected.addAll(proc(Protocol.TCP, true, "   0: 00000000000000000000000000000000:1B9E 00000000000000000000000000000000:0000"
        + " 0A 00000000:00000000 00:00000000 00000000     0        0 5001 1 0 100 0 0 10 0"));
    expected.addAll(proc(Protocol.TCP, true, "   1: 0000000000000000FFFF00000100007F:1B9E 0000000000000000FFFF00000100007F:9C40"
        + " 01 00000000:00000000 00:00000000 00000000     0        0 5002 1 0 20 4 30 10 -1"));
    expected.addAll(proc(Protocol.TCP, true, "   2: 00000000000000000000000001000000:9C41 00000000000000000000000001000000:1B9E"
        + " 01 00000000:00000000 00:00000000 00000000     0        0 5003 1 0 20 4 30 10 -1"));
    assertEquals(expected, e);
    assertEquals(new Endpoint("::ffff:127.0.0.1", 7070), e.get(1).local());
    assertEquals("::1", e.get(2).local().address());
  }

  @Test
  void udpStatesAndAnInodeAboveTwoToThe31() {
    long big = 3_000_000_000L; // inodes are unsigned 32-bit: never negative
    int[] d = dump(row(7, 53, 0, 101, big, v4(127, 0, 0, 53), ANY4), row(1, 40000, 53, 101, 77, v4(127, 0, 0, 1),
        v4(127, 0, 0, 53)));
    List<SocketEntry> e = entries(Protocol.UDP, false, d, ALL);
    assertEquals(SocketState.UNCONN, e.get(0).state());
    assertEquals(big, e.get(0).inode().getAsLong());
    assertEquals(SocketState.ESTABLISHED, e.get(1).state());
    assertEquals(proc(Protocol.UDP, false,
        "  10: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 3000000000 2 0 0"), e.subList(0, 1));
  }

  @Test
  void theQueryFiltersEveryRowAsTheProcParserDoes() {
    int[] d = dump(row(10, 80, 0, 0, 1, ANY4, ANY4), row(10, 81, 0, 0, 2, ANY4, ANY4), row(1, 80, 9, 0, 3, ANY4, ANY4));
    SocketQuery listen80 = new SocketQuery(Set.of(Protocol.TCP), PortSet.of(80), true, true);
    List<SocketEntry> e = entries(Protocol.TCP, false, d, listen80);
    assertEquals(1, e.size());
    assertEquals(1, e.get(0).inode().getAsLong());
    assertTrue(entries(Protocol.UDP, false, d, listen80).isEmpty(), "a UDP dump for a TCP-only query");
    assertTrue(entries(Protocol.TCP, false, new int[] {0}, ALL).isEmpty(), "an empty dump");
  }

  /** /proc/net/tcp prints a handshake in progress with its listener's uid, sock_diag with 0. */
  @Test
  void aHandshakeInProgressTakesItsListenersUid() {
    List<SocketEntry> s = new ArrayList<>();
    SockDiagTable.entries(Protocol.TCP, false, dump(row(10, 9000, 0, 65534, 11, v4(127, 0, 0, 1), ANY4),
        row(3, 9000, 50000, 0, 0, v4(127, 0, 0, 1), v4(127, 0, 0, 1)),
        row(3, 9100, 50001, 0, 0, v4(127, 0, 0, 1), v4(127, 0, 0, 1)),
        row(10, 9200, 0, 1000, 12, v4(127, 0, 0, 2), ANY4),
        row(3, 9200, 50002, 0, 0, v4(127, 0, 0, 1), v4(127, 0, 0, 1))), ALL, s);
    SockDiagTable.entries(Protocol.TCP, true, dump(row(10, 9100, 0, 1001, 13, ANY6, ANY6),
        row(10, 9300, 0, 1002, 14, ANY6, ANY6), row(10, 9300, 0, 1003, 15, MAPPED_LOOP, ANY6),
        row(3, 9300, 50003, 0, 0, MAPPED_LOOP, MAPPED_LOOP)), ALL, s);
    assertEquals(OptionalInt.empty(), s.get(1).uid(), "left for listenerUids");
    SockDiagTable.listenerUids(s, 0);
    assertEquals(OptionalInt.of(65534), s.get(1).uid(), "its listener on the same address");
    assertEquals(OptionalInt.of(1001), s.get(2).uid(), "an IPv4 handshake on the dual-stack [::] listener");
    assertEquals(OptionalInt.empty(), s.get(4).uid(), "no listener on its address: unknown, not guessed");
    assertEquals(OptionalInt.of(1003), s.get(8).uid(), "the listener on its own address before the wildcard");
    assertEquals(OptionalInt.of(0), entries(Protocol.TCP, false, dump(row(3, 1, 2, 0, 99, ANY4, ANY4)), ALL).get(0).uid(),
        "a SYN_RECV socket with an inode is a full socket: its own uid");
  }

  @Test
  void thePortsGoToTheKernelOnlyWhenTheyNarrowTheDump() {
    assertNull(SockDiagTable.kernelRanges(PortSet.all()));
    assertArrayEquals(new int[] {8080, 8080}, SockDiagTable.kernelRanges(PortSet.of(8080)));
    assertArrayEquals(new int[] {80, 80, 8000, 8010}, SockDiagTable.kernelRanges(PortSet.parse(List.of("80", "8000-8010"))));
    int[] many = new int[17];
    for (int i = 0; i < many.length; i++) {
      many[i] = 1000 + 2 * i;
    }
    assertNull(SockDiagTable.kernelRanges(PortSet.of(many)), "17 ranges: more than the library's bytecode takes");
    many[16] = 1031; // 1030-1031 is one range now: 16
    assertEquals(32, SockDiagTable.kernelRanges(PortSet.of(many)).length);
  }

  @Test
  void platformsAndTheSwitch() {
    assertEquals("linux-x86_64", LinuxNative.platform("Linux", "amd64"));
    assertEquals("linux-aarch64", LinuxNative.platform("Linux", "aarch64"));
    assertNull(LinuxNative.platform("Linux", "riscv64"));
    assertNull(LinuxNative.platform("Mac OS X", "aarch64"));
    assertNull(LinuxNative.platform("Windows 11", "amd64"));
    assertTrue(LinuxNative.enabled(null, null));
    assertTrue(LinuxNative.enabled("true", "1"));
    for (String off : List.of("false", "0", "off", "NO", " False ")) {
      assertFalse(LinuxNative.enabled(off, null), off);
      assertFalse(LinuxNative.enabled(null, off), off);
    }
  }
}
