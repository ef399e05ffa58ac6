package dev.portdoctor.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.TestInfo;

/**
 * @FreePort fields, in parallel with the parameter tests: set before each test, released before the
 * {@code @BeforeEach} method, which starts a server on one of them as a real test would.
 */
class ParallelFieldsTest {
  @FreePort
  int server;

  @FreePort
  int other;

  private ServerSocket started;

  @BeforeEach
  void startServer(TestInfo info) throws IOException {
    started = Handed.claimAndStart(server, "field#" + info.getDisplayName() + System.identityHashCode(this));
  }

  @AfterEach
  void stopServer() throws IOException {
    started.close();
  }

  @RepeatedTest(20)
  void fieldsAreSetAndDistinct(RepetitionInfo info) throws Exception {
    assertNotEquals(0, server);
    assertNotEquals(server, other);
    assertEquals(server, started.getLocalPort());
    Handed.claimAndBind(other, "field-other#" + info.getCurrentRepetition() + System.identityHashCode(this));
  }
}
