package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.core.Owner;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.PythonHelper;
import dev.portdoctor.testkit.SocketHolderMain;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The native path (sock_diag and the readlinkat walk) against the /proc files and the Java walk, on real
 * sockets this test opens and holds: listeners on 127.0.0.1, ::1, 0.0.0.0 and the dual-stack ::,
 * established pairs in both families and an IPv4 client on the dual-stack listener (v4-mapped rows), a
 * TIME_WAIT, UDP bound and connected, a child JVM and its own child holding sockets, and a python server
 * that forked 12 workers after listen() and holds the listener through dup()ed descriptors too. Every
 * query is run through both paths and the rows, with their owners, must be the same. Skipped where the
 * build made no library (no gcc); where it did, the library must load.
 */
@EnabledOnOs(OS.LINUX)
class NativePathIT {
  static final String PREFORK = String.join("\n",
      "import os, socket, sys",
      "s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)",
      "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)",
      "s.bind(('::', 0)); s.listen(64)",
      "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))",
      "extra = [os.dup(s.fileno()) for i in range(3)]",
      "kids = []",
      "for i in range(12):",
      "    pid = os.fork()",
      "    if pid == 0:",
      "        sys.stdin.read()",
      "        os._exit(0)",
      "    kids.append(pid)",
      "print('PORT', s.getsockname()[1]); print('UDP', u.getsockname()[1])",
      "print('WORKERS', ' '.join(map(str, kids))); print('READY', flush=True)",
      "sys.stdin.read()",
      "for k in kids: os.waitpid(k, 0)");

  private static final List<AutoCloseable> HELD = new ArrayList<>();
  private static final Set<Integer> PORTS = new TreeSet<>();
  private static PythonHelper prefork;
  private static ChildJvm child;
  private static int preforkPort;
  private static List<Long> workers;

  @BeforeAll
  static void openSockets() throws Exception {
    assumeTrue(libraryBuilt(), "the build made no native library (no gcc): nothing to compare");
    assertTrue(LinuxNative.available(), "the build made the native library, so it must load");
    assertEquals(LinuxNative.ABI, LinuxNative.abi());

    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    InetAddress v6 = InetAddress.getByName("::1");
    ServerSocket l4 = listen(new InetSocketAddress(v4, 0));
    ServerSocket l6 = listen(new InetSocketAddress(v6, 0));
    ServerSocket any4 = listen(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
    ServerSocket dual = listen(new InetSocketAddress(InetAddress.getByName("::"), 0));
    pair(l4, v4);
    pair(l6, v6);
    pair(any4, v4);
    pair(dual, v4); // the accepted socket's local address is ::ffff:127.0.0.1
    pair(dual, v6);
    // a TIME_WAIT on l4's port: the accepted side closes first
    try (Socket c = new Socket(v4, l4.getLocalPort())) {
      l4.accept().close();
      c.getInputStream().read();
    }
    DatagramSocket u4 = udp(new DatagramSocket(new InetSocketAddress(v4, 0)));
    DatagramSocket u6 = udp(new DatagramSocket(new InetSocketAddress(v6, 0)));
    DatagramSocket connected = udp(new DatagramSocket(new InetSocketAddress(v4, 0)));
    connected.connect(new InetSocketAddress(v4, u4.getLocalPort()));
    DatagramSocket connected6 = udp(new DatagramSocket(new InetSocketAddress(v6, 0)));
    connected6.connect(new InetSocketAddress(v6, u6.getLocalPort()));

    child = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0", "udp:[::1]:0", "child=tcp:[::1]:0;udp:127.0.0.1:0");
    PORTS.add(child.port(0));
    PORTS.add(child.port(1));
    // the grandchild's ports: it reports them to the child only
    for (SocketEntry s : source(false).snapshot(query(EnumSet.allOf(Protocol.class), PortSet.all(), false))) {
      if (owners(s).contains(child.childPid())) {
        PORTS.add(s.local().port());
      }
    }

    prefork = PythonHelper.start(PREFORK);
    preforkPort = Integer.parseInt(prefork.value("PORT"));
    PORTS.add(preforkPort);
    PORTS.add(Integer.parseInt(prefork.value("UDP")));
    workers = Arrays.stream(prefork.value("WORKERS").split(" ")).map(Long::parseLong).toList();
  }

  @AfterAll
  static void closeSockets() throws Exception {
    for (AutoCloseable c : HELD) {
      c.close();
    }
    if (prefork != null) {
      prefork.close();
    }
    if (child != null) {
      child.close();
    }
  }

  /** The build put the library into target/classes (surefire, failsafe before 3) or beside the jar. */
  static boolean libraryBuilt() {
    String platform = LinuxNative.platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    return platform != null && (Files.isRegularFile(Path.of("target/classes/native", platform, LinuxNative.LIBRARY))
        || Files.isRegularFile(Path.of("target/native", platform, LinuxNative.LIBRARY)));
  }

  private static ServerSocket listen(InetSocketAddress a) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(a);
    HELD.add(s);
    PORTS.add(s.getLocalPort());
    return s;
  }

  private static void pair(ServerSocket l, InetAddress to) throws IOException {
    Socket c = new Socket(to, l.getLocalPort());
    HELD.add(c);
    HELD.add(l.accept());
    PORTS.add(c.getLocalPort());
  }

  private static DatagramSocket udp(DatagramSocket s) {
    HELD.add(s);
    PORTS.add(s.getLocalPort());
    return s;
  }

  private static ProcSocketSource source(boolean allowNative) {
    return new ProcSocketSource(Path.of("/proc"), Path.of("/proc/net"), JavaRoot.IS_ROOT, 2, allowNative);
  }

  /** Whether this JVM runs as root, as Platforms decides it. */
  private static final class JavaRoot {
    static final boolean IS_ROOT = new LinuxSystemFacts(Path.of("/proc")).isRoot();
  }

  /**
   * The rows of the test's own ports, in a stable order, owners included, sorted by PID: the walk's
   * two workers find a shared socket's holders in either order, on both paths, and the holder report
   * sorts them (HolderResolver).
   */
  private static List<String> rows(List<SocketEntry> sockets) {
    List<String> out = new ArrayList<>();
    for (SocketEntry s : sockets) {
      if (PORTS.contains(s.local().port())) {
        List<Owner> owners = new ArrayList<>(s.owners());
        owners.sort(java.util.Comparator.comparingLong(Owner::pid));
        out.add(s.withOwners(s.ownerStatus(), owners).toString());
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Both paths agree on a query; a few tries, because another process on this machine may open or close
   * a socket with one of the test's port numbers (an ephemeral port of its own) between the two reads.
   */
  private static List<SocketEntry> same(SocketQuery q) {
    List<String> viaProc = List.of();
    List<String> viaNative = List.of();
    for (int attempt = 0; attempt < 5; attempt++) {
      assertNotNull(SockDiagTable.read(q), "the sock_diag dump itself worked for " + q);
      List<SocketEntry> n = source(true).snapshot(q);
      viaProc = rows(source(false).snapshot(q));
      viaNative = rows(n);
      if (viaProc.equals(viaNative)) {
        return n;
      }
    }
    assertEquals(String.join("\n", viaProc), String.join("\n", viaNative), "the same rows and owners for " + q);
    return List.of();
  }

  private static SocketQuery query(Set<Protocol> p, PortSet ports, boolean listeningOnly) {
    return new SocketQuery(p, ports, listeningOnly, true);
  }

  private static PortSet ours() {
    return PortSet.of(PORTS.stream().mapToInt(Integer::intValue).toArray());
  }

  @Test
  void everyQueryGivesTheSameRowsAndOwnersThroughBothPaths() {
    Set<Protocol> both = EnumSet.allOf(Protocol.class);
    for (boolean listeningOnly : new boolean[] {true, false}) {
      for (Set<Protocol> p : List.of(Set.of(Protocol.TCP), Set.of(Protocol.UDP), both)) {
        same(query(p, PortSet.all(), listeningOnly)); // list, list --all
        same(query(p, ours(), listeningOnly)); // more ranges than the kernel filter takes: Java filters
      }
    }
    // a few ports: the kernel's bytecode is an 'or' of ranges (16 at most)
    int[] some = PORTS.stream().mapToInt(Integer::intValue).limit(12).toArray();
    assertTrue(SockDiagTable.kernelRanges(PortSet.of(some)) != null);
    same(query(both, PortSet.of(some), true));
    same(query(both, PortSet.of(some), false));
    for (int port : PORTS) {
      same(query(both, PortSet.of(port), true)); // who P --tcp --udp
      same(query(both, PortSet.of(port), false)); // check P, who P --all
      same(query(Set.of(Protocol.TCP), PortSet.parse(List.of(port + "-" + Math.min(65535, port + 2))), false));
    }
  }

  @Test
  void theRowsAreWhatTheTestHolds() {
    List<SocketEntry> all = same(query(EnumSet.allOf(Protocol.class), ours(), false));
    long pid = ProcessHandle.current().pid();
    assertTrue(all.stream().anyMatch(s -> s.state() == SocketState.TIME_WAIT && s.owners().isEmpty()), all::toString);
    assertTrue(all.stream().anyMatch(s -> s.local().address().equals("::ffff:127.0.0.1")
        && s.state() == SocketState.ESTABLISHED && owners(s).contains(pid)), "the v4-mapped accepted socket: " + all);
    assertTrue(all.stream().anyMatch(s -> s.protocol() == Protocol.UDP && s.state() == SocketState.ESTABLISHED
        && s.local().address().equals("::1")), "a connected UDP socket on ::1: " + all);
    assertTrue(all.stream().anyMatch(s -> s.protocol() == Protocol.UDP && owners(s).contains(child.childPid())),
        "the child JVM's own child: " + all);

    SocketEntry shared = same(query(Set.of(Protocol.TCP), PortSet.of(preforkPort), true)).get(0);
    assertEquals("::", shared.local().address());
    List<Long> holders = owners(shared);
    assertEquals(13, holders.size(), "the server and its 12 workers, each once: " + shared);
    assertTrue(holders.contains(prefork.pid()) && holders.containsAll(workers), shared::toString);
  }

  /**
   * Connections in their handshake (SYN_RECV: a listener with TCP_DEFER_ACCEPT keeps them there until
   * data comes): /proc/net/tcp shows the listener's uid, sock_diag 0, so the native rows take the
   * listener's. The listener belongs to another user than root (nobody, when this test runs as root),
   * or the two could not be told apart.
   */
  @Test
  void handshakesInProgressCarryTheListenersUid() {
    boolean root = JarRunner.isRoot();
    String python = root ? "/usr/bin/python3" : PythonHelper.python();
    assumeTrue(Files.isExecutable(Path.of(python)), python + " is not installed");
    List<String> prefix = root ? JarRunner.asNobody() : List.of();
    try (PythonHelper h = PythonHelper.startWithInterpreter(prefix, python, DEFERRED)) {
      int p4 = Integer.parseInt(h.value("PORT4"));
      int p6 = Integer.parseInt(h.value("PORT6"));
      PORTS.add(p4);
      PORTS.add(p6);
      try {
        List<SocketEntry> rows = same(query(Set.of(Protocol.TCP), PortSet.of(p4, p6), false));
        List<SocketEntry> syn = rows.stream().filter(s -> s.state() == SocketState.SYN_RECV).toList();
        assertTrue(syn.size() >= 9, "nine handshakes in progress: " + rows);
        int uid = rows.stream().filter(s -> s.state() == SocketState.LISTEN).findFirst().orElseThrow().uid().getAsInt();
        assertTrue(uid != 0, "a listener of another user than root: " + rows);
        for (SocketEntry s : syn) {
          assertEquals(uid, s.uid().getAsInt(), s::toString);
        }
        assertTrue(syn.stream().anyMatch(s -> s.local().address().equals("::ffff:127.0.0.1")), "v4 on the dual-stack one");
        // what the kernel itself says for them
        int[] raw = LinuxNative.sockets(SockDiagTable.AF_INET, SockDiagTable.IPPROTO_TCP, SockDiagTable.ALL_STATES,
            new int[] {p4, p4});
        assertEquals(0, raw[0]);
        boolean sawRequest = false;
        for (int i = 1; i < raw.length; i += LinuxNative.ROW) {
          if (raw[i] == 3) {
            assertEquals(0, raw[i + 3], "sock_diag's uid of a request socket");
            sawRequest = true;
          }
        }
        assertTrue(sawRequest);
      } finally {
        PORTS.remove(p4);
        PORTS.remove(p6);
      }
    }
  }

  static final String DEFERRED = String.join("\n",
      "import socket, sys",
      "def listener(family, addr):",
      "    l = socket.socket(family, socket.SOCK_STREAM)",
      "    l.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 30)",
      "    l.bind((addr, 0)); l.listen(16)",
      "    return l",
      "l4 = listener(socket.AF_INET, '127.0.0.1'); l6 = listener(socket.AF_INET6, '::')",
      "p4 = l4.getsockname()[1]; p6 = l6.getsockname()[1]",
      "clients = []",
      "for addr in [('127.0.0.1', p4), ('127.0.0.1', p6), ('::1', p6)] * 3:",
      "    c = socket.socket(socket.AF_INET6 if ':' in addr[0] else socket.AF_INET)",
      "    c.connect(addr); clients.append(c)",
      "print('PORT4', p4); print('PORT6', p6); print('READY', flush=True)",
      "sys.stdin.read()");

  @Test
  void theNativeWalkFindsWhatTheJavaWalkFinds() {
    List<SocketEntry> tcp = source(false).snapshot(query(EnumSet.allOf(Protocol.class), ours(), false));
    long[] wanted = ProcSocketSource.inodes(tcp);
    assertTrue(wanted.length >= PORTS.size(), Arrays.toString(wanted));
    for (int attempt = 0; ; attempt++) {
      FdWalker.Result java = new FdWalker(Path.of("/proc"), 2, wanted, false).walk();
      FdWalker.Result nat = new FdWalker(Path.of("/proc"), 2, wanted, true).walk();
      Map<Long, Set<Long>> a = sets(java.pidsByInode());
      Map<Long, Set<Long>> b = sets(nat.pidsByInode());
      if ((a.equals(b) && java.deniedProcesses() == nat.deniedProcesses()) || attempt == 4) {
        assertEquals(a, b);
        assertEquals(java.deniedProcesses(), nat.deniedProcesses());
        break;
      }
    }
    // every socket, not only the wanted ones (null)
    FdWalker.Result every = new FdWalker(Path.of("/proc"), 1, null, true).walk();
    for (long inode : wanted) {
      assertTrue(every.pidsByInode().containsKey(inode), "inode " + inode);
    }
    // one process, its own directory: both walks see the same descriptors
    long[] none = new long[0];
    assertTrue(new FdWalker(Path.of("/proc"), 2, none, true).walk().pidsByInode().isEmpty());
  }

  @Test
  void aMissingOrUnreadableDirectoryIsAnErrnoNotAnException() {
    long[] r = LinuxNative.fdSockets("/proc/0/fd".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null);
    assertEquals(-2, r[0], "ENOENT"); // no PID 0 in /proc
    assertEquals(2, r.length);
    long[] nul = LinuxNative.fdSockets("/proc/self\0/fd".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null);
    assertEquals(-22, nul[0], "EINVAL for a NUL in the path");
    int[] bad = LinuxNative.sockets(2, 6, SockDiagTable.ALL_STATES, new int[] {80});
    assertEquals(-22, bad[0], "EINVAL for an odd port-range array");
    int[] reversed = LinuxNative.sockets(2, 6, SockDiagTable.ALL_STATES, new int[] {90, 80});
    assertEquals(-22, reversed[0]);
    int[] protocol = LinuxNative.sockets(2, 132, SockDiagTable.ALL_STATES, null);
    assertEquals(-22, protocol[0], "EINVAL for a protocol other than TCP and UDP");
    assertFalse(LinuxNative.fdSockets("/proc/self/fd".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null)[0] < 0);
  }

  private static List<Long> owners(SocketEntry s) {
    return s.owners().stream().map(Owner::pid).toList();
  }

  private static Map<Long, Set<Long>> sets(Map<Long, List<Long>> m) {
    Map<Long, Set<Long>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, new TreeSet<>(v)));
    return out;
  }
}
