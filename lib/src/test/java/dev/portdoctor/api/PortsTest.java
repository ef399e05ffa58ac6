package dev.portdoctor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Verdict;
import dev.portdoctor.core.WaitResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The library facade against the real system: real sockets on loopback, this JVM as the holder. */
class PortsTest {
  private static final Ports PORTS = Ports.local();
  private static final long SELF = ProcessHandle.current().pid();

  private static ServerSocket listen() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  @Test
  void aListenedPortIsInUseAndThisJvmHoldsIt() throws IOException {
    try (ServerSocket s = listen()) {
      int port = s.getLocalPort();
      assertFalse(PORTS.isFree(port));
      CheckResult r = PORTS.check(port);
      assertEquals(Verdict.IN_USE, r.verdict());
      assertTrue(r.reason().contains("pid " + SELF), r.reason());
      List<ProcessInfo> holders = PORTS.holders(port);
      assertEquals(List.of(SELF), holders.stream().map(ProcessInfo::pid).toList());
      assertTrue(holders.get(0).commandLine().orElse("").contains("java")
          || holders.get(0).name().contains("java"), holders.toString());
    }
  }

  @Test
  void aClosedPortIsFreeAgain() throws IOException {
    int port;
    try (ServerSocket s = listen()) {
      port = s.getLocalPort();
    }
    assertTrue(PORTS.isFree(port), () -> PORTS.check(port).reason());
    assertTrue(PORTS.holders(port).isEmpty());
  }

  @Test
  void freePortsAreDistinctInRangeAndBindable() throws IOException {
    List<Integer> ports = PORTS.freePorts(5, new PortRange(20000, 20999));
    assertEquals(5, new HashSet<>(ports).size());
    for (int p : ports) {
      assertTrue(p >= 20000 && p <= 20999, "out of range: " + p);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress("0.0.0.0", p));
      }
    }
    int one = PORTS.freePort();
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("0.0.0.0", one));
      assertEquals(one, s.getLocalPort());
    }
  }

  @Test
  void freePortsSaysWhenTheRangeIsTooSmall() throws IOException {
    try (ServerSocket s = listen()) {
      int port = s.getLocalPort();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> PORTS.freePorts(1, new PortRange(port, port)));
      assertTrue(e.getMessage().startsWith("only 0 of 1 ports free"), e.getMessage());
    }
  }

  @Test
  void waitForSeesAServerThatStartsLater() throws Exception {
    int port = PORTS.freePort();
    CompletableFuture<ServerSocket> later = CompletableFuture.supplyAsync(() -> {
      try {
        Thread.sleep(300);
        return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    WaitResult r = PORTS.waitFor(port, Duration.ofSeconds(10));
    try (ServerSocket s = later.get()) {
      assertEquals(WaitResult.Outcome.MET, r.outcome());
      assertTrue(r.polls() > 1, "polled " + r.polls());
      assertEquals(WaitResult.Outcome.TIMEOUT, PORTS.waitUntilFree(s.getLocalPort(), Duration.ofMillis(200)).outcome());
    }
    assertEquals(WaitResult.Outcome.MET, PORTS.waitUntilFree(port, Duration.ofSeconds(5)).outcome());
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> PORTS.check(0));
    assertThrows(IllegalArgumentException.class, () -> PORTS.check(65536));
    assertThrows(IllegalArgumentException.class, () -> PORTS.freePorts(0, new PortRange(2000, 2001)));
    assertThrows(IllegalArgumentException.class, () -> PORTS.waitFor(80, Duration.ofSeconds(-1)));
  }
}
