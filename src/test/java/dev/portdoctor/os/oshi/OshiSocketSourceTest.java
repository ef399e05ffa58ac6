package dev.portdoctor.os.oshi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import org.junit.jupiter.api.Test;
import oshi.software.os.InternetProtocolStats.IPConnection;
import oshi.software.os.InternetProtocolStats.TcpState;

/**
 * How OSHI's connections become socket entries: its sentinels (owning PID -1 "unknown", 0 the Windows
 * idle process) never reach the output, empty address arrays are the family's wildcard, UDP has no state.
 */
class OshiSocketSourceTest {
  private static final byte[] LOOPBACK4 = {127, 0, 0, 1};
  private static final byte[] ANY6 = new byte[16];

  private static SocketEntry map(String type, byte[] local, int lport, byte[] remote, int rport, TcpState st, int pid) {
    return OshiSocketSource.toEntry(new IPConnection(type, local, lport, remote, rport, st, 0, 0, pid)).orElseThrow();
  }

  @Test
  void listenerWithOwner() {
    SocketEntry e = map("tcp4", LOOPBACK4, 8080, new byte[4], 0, TcpState.LISTEN, 4242);
    assertEquals(Protocol.TCP, e.protocol());
    assertEquals("127.0.0.1:8080", e.local().toString());
    assertTrue(e.remote().isEmpty());
    assertEquals(SocketState.LISTEN, e.state());
    assertEquals(OwnerStatus.KNOWN, e.ownerStatus());
    assertEquals(4242, e.owners().get(0).pid());
  }

  @Test
  void sentinelsBecomeEmpty() {
    SocketEntry unknown = map("tcp6", ANY6, 443, ANY6, 0, TcpState.LISTEN, -1);
    assertEquals("[::]:443", unknown.local().toString());
    assertTrue(unknown.owners().isEmpty());
    assertEquals(OwnerStatus.UNKNOWN, unknown.ownerStatus());

    SocketEntry idle = map("tcp4", LOOPBACK4, 5000, LOOPBACK4, 6000, TcpState.TIME_WAIT, 0);
    assertTrue(idle.owners().isEmpty());
    assertEquals(OwnerStatus.NONE, idle.ownerStatus());
    assertEquals("127.0.0.1:6000", idle.remote().orElseThrow().toString());
  }

  @Test
  void udpAndEmptyAddresses() {
    SocketEntry udp = map("udp6", new byte[0], 5353, new byte[0], 0, TcpState.NONE, 77);
    assertEquals(Protocol.UDP, udp.protocol());
    assertEquals(SocketState.UNCONN, udp.state());
    assertEquals("::", udp.local().address());
    assertTrue(OshiSocketSource.toEntry(new IPConnection("unix", LOOPBACK4, 1, LOOPBACK4, 1, TcpState.NONE, 0, 0, 1)).isEmpty());
    assertTrue(OshiSocketSource.toEntry(new IPConnection("tcp4", new byte[3], 1, LOOPBACK4, 1, TcpState.LISTEN, 0, 0, 1)).isEmpty());
  }
}
