package dev.portdoctor.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What every parallel test of this module records: the ports it got, across all classes and threads. */
final class Handed {
  private static final Map<Integer, String> BY_PORT = new ConcurrentHashMap<>();

  private Handed() {}

  /**
   * Fails when another test already got the port; then binds it on the wildcard address without
   * SO_REUSEADDR (so every address of the port must be free) and holds it a moment.
   */
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
  }

  static int count() {
    return BY_PORT.size();
  }
}
