package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketState;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port-filtered table read and the fd walk for the wanted inodes, on a copy of {@code /proc} in a
 * temporary directory: big tables in the kernel's order (listeners first), sockets shared by several
 * processes, a pipe whose inode number equals a socket's, IPv6 loopback and a dual-stack wildcard.
 */
@EnabledOnOs(OS.LINUX) // symbolic links and the machine's byte order, as on the live path
class ProcSocketSourceTest {
  private static final int LISTENERS = 3000;
  private static final int ESTABLISHED = 4000;

  @TempDir
  Path proc;

  private String tcp;

  @BeforeEach
  void fakeProc() throws IOException {
    Files.createDirectories(proc.resolve("net"));
    StringBuilder t4 = new StringBuilder(header());
    int sl = 0;
    t4.append(row(sl++, v4(127, 0, 0, 1), 8080, v4(0, 0, 0, 0), 0, 0x0A, 1001));
    for (int i = 0; i < LISTENERS; i++) {
      t4.append(row(sl++, v4(127, 0, 0, 1), 20000 + i, v4(0, 0, 0, 0), 0, 0x0A, 100_000 + i));
    }
    for (int i = 0; i < ESTABLISHED; i++) {
      t4.append(row(sl++, v4(127, 0, 0, 1), 40000 + i, v4(127, 0, 0, 1), 20000 + i % LISTENERS, 0x01, 200_000 + i));
    }
    // a TIME_WAIT connection on 8080: no inode, no owner
    t4.append(row(sl++, v4(127, 0, 0, 1), 8080, v4(127, 0, 0, 1), 50000, 0x06, 0));
    tcp = t4.toString();
    Files.writeString(proc.resolve("net/tcp"), tcp, StandardCharsets.US_ASCII);

    StringBuilder t6 = new StringBuilder(header());
    t6.append(row(0, V6_LOOPBACK, 8080, V6_ANY, 0, 0x0A, 1003));
    t6.append(row(1, V6_ANY, 7070, V6_ANY, 0, 0x0A, 1004));
    t6.append(row(2, V6_LOOPBACK, 61000, V6_LOOPBACK, 7070, 0x01, 1005));
    Files.writeString(proc.resolve("net/tcp6"), t6.toString(), StandardCharsets.US_ASCII);
    Files.writeString(proc.resolve("net/udp"), header(), StandardCharsets.US_ASCII);

    // 100 listens on 8080 and forked 101, which holds the same socket (and a pipe with the same number)
    fd(100, 3, "socket:[1001]");
    fd(100, 4, "/dev/null");
    fd(101, 3, "socket:[1001]");
    fd(101, 7, "socket:[1001]");
    fd(102, 5, "pipe:[1003]");
    fd(300, 9, "socket:[1003]");
    fd(301, 3, "socket:[1004]");
    fd(302, 3, "socket:[1005]");
    for (int p = 0; p < 20; p++) { // the load: every other socket, spread over processes
      for (int i = p; i < LISTENERS; i += 20) {
        fd(1000 + p, 10 + i, "socket:[" + (100_000 + i) + "]");
      }
      for (int i = p; i < ESTABLISHED; i += 20) {
        fd(1000 + p, 10_000 + i, "socket:[" + (200_000 + i) + "]");
      }
    }
    Files.createDirectories(proc.resolve("self")); // not a process directory
    Files.createDirectories(proc.resolve("4242")); // a process that exited: no fd directory
  }

  private ProcSocketSource source() {
    return new ProcSocketSource(proc, true, 2);
  }

  private static SocketQuery who(int port) {
    return new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.of(port), true, true);
  }

  @Test
  void whoFindsEveryHolderOfTheSharedSocketInBothFamilies() {
    List<SocketEntry> found = source().snapshot(who(8080));
    assertEquals(2, found.size(), found::toString);
    SocketEntry v4 = found.get(0);
    assertEquals("127.0.0.1:8080", v4.local().toString());
    assertEquals(OwnerStatus.KNOWN, v4.ownerStatus());
    assertEquals(List.of(100L, 101L), sortedPids(v4), "the parent and its forked child, once each");
    SocketEntry v6 = found.get(1);
    assertEquals("::1", v6.local().address());
    assertEquals(List.of(300L), sortedPids(v6), "a pipe of the same number is no holder");
  }

  @Test
  void dualStackWildcardAndItsConnection() {
    List<SocketEntry> found = source().snapshot(who(7070));
    assertEquals(1, found.size(), found::toString);
    assertEquals("::", found.get(0).local().address());
    assertEquals(List.of(301L), sortedPids(found.get(0)));

    List<SocketEntry> all = source().snapshot(new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.of(61000), false, true));
    assertEquals(1, all.size(), all::toString);
    assertEquals(SocketState.ESTABLISHED, all.get(0).state());
    assertEquals(List.of(302L), sortedPids(all.get(0)));
  }

  @Test
  void aFreePortHasNoSockets() {
    assertEquals(List.of(), source().snapshot(who(8081)));
  }

  @Test
  void everyListenerAmongManyIsFoundWithItsOwner() {
    List<SocketEntry> found = source().snapshot(new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.all(), true, true));
    assertEquals(LISTENERS + 3, found.size());
    for (SocketEntry s : found) {
      assertEquals(SocketState.LISTEN, s.state(), s::toString);
      assertEquals(OwnerStatus.KNOWN, s.ownerStatus(), s::toString);
      long inode = s.inode().getAsLong();
      if (inode >= 100_000) {
        assertEquals(List.of(1000L + (inode - 100_000) % 20), sortedPids(s), s::toString);
      }
    }
  }

  @Test
  void allStatesReadsTheWholeTable() {
    List<SocketEntry> found = source().snapshot(new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.of(8080), false, true));
    assertEquals(3, found.size(), found::toString);
    SocketEntry timeWait = found.stream().filter(s -> s.state() == SocketState.TIME_WAIT).findFirst().orElseThrow();
    assertEquals(OwnerStatus.NONE, timeWait.ownerStatus());

    List<SocketEntry> conns = source().snapshot(new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.all(), false, false));
    assertEquals(LISTENERS + ESTABLISHED + 2 + 3, conns.size());
  }

  @Test
  void listenersOnlyReadStopsAtTheFirstConnectionAndKeepsEveryListener() throws IOException {
    ProcFiles.Bytes head = ProcFiles.readTcpListeners(proc.resolve("net/tcp"));
    String text = new String(head.data(), 0, head.length(), StandardCharsets.US_ASCII);
    assertTrue(text.length() < tcp.length() / 2, "stopped early: " + text.length() + " of " + tcp.length());
    assertTrue(text.endsWith("\n"), "whole rows only");
    ProcNetParser parser = new ProcNetParser(Protocol.TCP, false, ByteOrder.nativeOrder());
    List<SocketEntry> fromHead = parser.parse(text).entries();
    List<SocketEntry> listenersOfAll = new ArrayList<>();
    for (SocketEntry s : parser.parse(tcp).entries()) {
      if (s.state() == SocketState.LISTEN) {
        listenersOfAll.add(s);
      }
    }
    assertEquals(listenersOfAll, fromHead);
  }

  @Test
  void firstNonListenerFindsTheBoundaryOnlyInWholeRows() {
    byte[] d = tcp.getBytes(StandardCharsets.US_ASCII);
    int boundary = tcp.indexOf(" 01 ");
    int rowStart = tcp.lastIndexOf('\n', boundary) + 1;
    assertEquals(rowStart, ProcNetParser.firstNonListener(d, 0, d.length));
    assertEquals(-1, ProcNetParser.firstNonListener(d, 0, rowStart), "only listeners so far");
    assertEquals(-1, ProcNetParser.firstNonListener(d, 0, boundary), "the first connection's row is not finished");
    assertEquals(-1, ProcNetParser.firstNonListener(d, 0, 0));
    byte[] headerOnly = header().getBytes(StandardCharsets.US_ASCII);
    assertEquals(-1, ProcNetParser.firstNonListener(headerOnly, 0, headerOnly.length));
  }

  @Test
  void inodesAreDistinctAndSorted() {
    List<SocketEntry> found = source().snapshot(new SocketQuery(EnumSet.of(Protocol.TCP), PortSet.of(8080), false, false));
    List<SocketEntry> twice = new ArrayList<>(found);
    twice.addAll(found);
    assertArrayEquals(new long[] {1001, 1003}, ProcSocketSource.inodes(twice));
  }

  private static List<Long> sortedPids(SocketEntry s) {
    return s.owners().stream().map(Owner::pid).sorted().toList();
  }

  private void fd(long pid, int fd, String target) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)).resolve("fd"));
    Files.createSymbolicLink(dir.resolve(Integer.toString(fd)), Path.of(target));
  }

  private static String header() {
    return "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  }

  private static final String V6_ANY = "00000000000000000000000000000000";
  /** ::1: four words, the last holding the 1 in its last byte, each printed as a host-order integer. */
  private static final String V6_LOOPBACK = "000000000000000000000000"
      + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "01000000" : "00000001");

  /** An IPv4 address as the kernel prints it: the big-endian word read as a host-order integer. */
  private static String v4(int a, int b, int c, int d) {
    int v = (a << 24) | (b << 16) | (c << 8) | d;
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      v = Integer.reverseBytes(v);
    }
    return String.format(Locale.ROOT, "%08X", v);
  }

  private static String row(int sl, String local, int lport, String remote, int rport, int state, long inode) {
    return String.format(Locale.ROOT, "%4d: %s:%04X %s:%04X %02X 00000000:00000000 00:00000000 00000000     0"
        + "        0 %d 1 0000000000000000 100 0 0 10 0\n", sl, local, lport, remote, rport, state, inode);
  }
}
