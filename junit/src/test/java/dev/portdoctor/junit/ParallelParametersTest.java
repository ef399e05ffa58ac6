package dev.portdoctor.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Many concurrent tests, each with @FreePort parameters: no port twice, each one bindable at test start. */
class ParallelParametersTest {
  /** It trips only if two tests run at the same time. */
  private static final CyclicBarrier TOGETHER = new CyclicBarrier(2);

  @RepeatedTest(40)
  void eachRepetitionGetsItsOwnPort(@FreePort int port, RepetitionInfo info) throws Exception {
    Handed.claimAndBind(port, "parameters#" + info.getCurrentRepetition());
  }

  @RepeatedTest(10)
  void twoPortsInOneTestDiffer(@FreePort int a, @FreePort Integer b, RepetitionInfo info) throws Exception {
    assertNotEquals(a, b.intValue());
    Handed.claimAndBind(a, "two-a#" + info.getCurrentRepetition());
    Handed.claimAndBind(b, "two-b#" + info.getCurrentRepetition());
  }

  @RepeatedTest(8)
  void fromARange(@FreePort(min = 30000, max = 30999) int port, RepetitionInfo info) throws Exception {
    assertTrue(port >= 30000 && port <= 30999, "out of range: " + port);
    Handed.claimAndBind(port, "range#" + info.getCurrentRepetition());
  }

  /** Proves that the tests of this module really run in parallel: these two must meet at the barrier. */
  @Test
  void runsInParallelWithItsTwin(@FreePort int port) throws Exception {
    Handed.claimAndBind(port, "together-1");
    assertTrue(TOGETHER.await(60, TimeUnit.SECONDS) >= 0);
  }

  @Test
  void runsInParallelWithItsTwinToo(@FreePort int port) throws Exception {
    Handed.claimAndBind(port, "together-2");
    assertTrue(TOGETHER.await(60, TimeUnit.SECONDS) >= 0);
  }

  @Test
  void aFreshReservationIsHeldUntilReleased() throws Exception {
    try (PortReservations.Reservation r = PortReservations.reserve()) {
      assertTrue(r.isHeld());
      java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
          s.setReuseAddress(false);
          s.bind(new java.net.InetSocketAddress(r.port()));
        }
      });
      assertTrue(e instanceof java.net.BindException, e.toString());
      r.release();
      Handed.claimAndBind(r.port(), "reservation");
    }
  }
}
