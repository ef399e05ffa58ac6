package dev.portdoctor.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What every parallel test of this module records: the ports it got, across all classes and threads. */
final class Handed {
  private static final Map<Integer, String> BY_PORT = new ConcurrentHashMap<>();

  private Handed() {}

  /** Fails when another test already got the port; then binds it as a server does and holds it a moment. */
  static void claimAndBind(int port, String test) throws IOException, InterruptedException {
    String before = BY_PORT.putIfAbsent(port, test);
    assertEquals(null, before, "port " + port + " handed to " + before + " and to " + test);
    try (ServerSocket wildcard = new ServerSocket()) {
      wildcard.setReuseAddress(false);
      // the extension has released it: this must not fail (and if it does, say who holds it)
      PortAssertions.assertBinds(port, () -> wildcard.bind(new InetSocketAddress(port)));
      assertEquals(port, wildcard.getLocalPort());
      Thread.sleep(5); // overlap with the other tests running now
    }
    try (ServerSocket loopback = PortAssertions.assertBinds(port,
        () -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))) {
      assertTrue(loopback.isBound());
    }
  }

  static int count() {
    return BY_PORT.size();
  }
}
