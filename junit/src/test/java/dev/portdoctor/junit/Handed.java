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
    try (ServerSocket wildcard = claimAndStart(port, test)) {
      assertEquals(port, wildcard.getLocalPort());
      Thread.sleep(5); // overlap with the other tests running now
    }
  }

  /**
   * As {@link #claimAndBind}, but leaves the server socket open for the test: the one bind a test's
   * server makes. (A test that closes it and binds the port again races with any process another
   * thread starts meanwhile, which inherits the socket: see {@link PortReservations}.)
   */
  static ServerSocket claimAndStart(int port, String test) throws IOException {
    String before = BY_PORT.putIfAbsent(port, test);
    assertEquals(null, before, "port " + port + " handed to " + before + " and to " + test);
    ServerSocket wildcard = new ServerSocket();
    try {
      wildcard.setReuseAddress(false);
      // the extension has released it: this must not fail (and if it does, say who holds it)
      PortAssertions.assertBinds(port, () -> wildcard.bind(new InetSocketAddress(port)));
      return wildcard;
    } catch (IOException | RuntimeException | Error e) {
      wildcard.close();
      throw e;
    }
  }

  static int count() {
    return BY_PORT.size();
  }

  /** How many recorded tests' names start with {@code prefix}. */
  static long countMatching(String prefix) {
    return BY_PORT.values().stream().filter(name -> name.startsWith(prefix)).count();
  }
}
