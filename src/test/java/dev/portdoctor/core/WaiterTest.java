package dev.portdoctor.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.FakeClock;
import dev.portdoctor.testkit.FakeConnector;
import dev.portdoctor.testkit.FakePlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** wait's loop against an in-memory OS and a clock that does not sleep. */
class WaiterTest {
  private static final Duration INTERVAL = Duration.ofMillis(200);

  private static Waiter.Options opts(Waiter.Condition c, List<String> addresses, Duration timeout) {
    return new Waiter.Options(c, Protocol.TCP, addresses, timeout, INTERVAL);
  }

  @Test
  void listeningFromTheTableOnceTheSocketAppears() {
    FakePlatform os = new FakePlatform().process(4242, 1, "postgres", "root");
    FakeClock clock = new FakeClock().at(3, () -> os.listening(5432, 4242));
    List<Waiter.Progress> seen = new ArrayList<>();
    WaitResult r = new Waiter(new PortDoctor(os.platform()), new FakeConnector(), clock)
        .await(PortSet.of(5432), opts(Waiter.Condition.LISTENING, List.of(), Duration.ofSeconds(30)), seen::add);
    assertEquals(WaitResult.Outcome.MET, r.outcome());
    assertEquals("table", r.method());
    assertEquals(4, r.polls());
    assertEquals(3, seen.size(), "progress after each look that found nothing");
    assertEquals(List.of(5432), seen.get(0).pending());
    WaitResult.PortStatus s = r.ports().get(0);
    assertTrue(s.met());
    assertEquals(Optional.of(Duration.ofMillis(600)), s.metAfter());
    assertEquals(Optional.of("0.0.0.0"), s.answeredBy());
  }

  @Test
  void timeoutAfterTheDeadlineWithTheLastSleepCutShort() {
    FakePlatform os = new FakePlatform();
    FakeClock clock = new FakeClock();
    WaitResult r = new Waiter(new PortDoctor(os.platform()), new FakeConnector(), clock)
        .await(PortSet.of(5432), opts(Waiter.Condition.LISTENING, List.of(), Duration.ofMillis(500)), p -> { });
    assertEquals(WaitResult.Outcome.TIMEOUT, r.outcome());
    assertEquals(List.of(INTERVAL, INTERVAL, Duration.ofMillis(100)), clock.slept);
    assertEquals(Duration.ofMillis(500), r.elapsed());
    assertFalse(r.ports().get(0).met());
  }

  @Test
  void zeroTimeoutLooksOnce() {
    FakePlatform os = new FakePlatform().process(1, 0, "init", "root").listening(22, 1);
    WaitResult r = new Waiter(new PortDoctor(os.platform()), new FakeConnector(), new FakeClock())
        .await(PortSet.of(22, 23), opts(Waiter.Condition.LISTENING, List.of(), Duration.ZERO), p -> { });
    assertEquals(WaitResult.Outcome.TIMEOUT, r.outcome());
    assertEquals(1, r.polls());
    assertTrue(r.ports().get(0).met());
    assertFalse(r.ports().get(1).met());
  }

  @Test
  void connectTriesEveryAddressAndSaysWhichAnswered() {
    FakeConnector net = new FakeConnector().acceptsFrom("::1", 2);
    WaitResult r = new Waiter(new PortDoctor(new FakePlatform().platform()), net, new FakeClock())
        .await(PortSet.of(8080), opts(Waiter.Condition.LISTENING, List.of("127.0.0.1", "::1"), Duration.ofSeconds(5)),
            p -> { });
    assertEquals(WaitResult.Outcome.MET, r.outcome());
    assertEquals("connect", r.method());
    assertEquals(List.of("127.0.0.1 8080", "::1 8080", "127.0.0.1 8080", "::1 8080"), net.calls);
    WaitResult.PortStatus s = r.ports().get(0);
    assertEquals(Optional.of("::1"), s.answeredBy());
    assertEquals(ConnectResult.Outcome.REFUSED, s.attempts().get(0).outcome());
    assertEquals(ConnectResult.Outcome.CONNECTED, s.attempts().get(1).outcome());
  }

  @Test
  void freeOnceTheHolderExitsAndOnlyTheStillBusyPortIsLookedAtAgain() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(8080, 4242);
    Platform p = os.platform();
    FakeClock clock = new FakeClock().at(2, () -> p.control().forceStop(4242));
    WaitResult r = new Waiter(new PortDoctor(p), new FakeConnector(), clock)
        .await(PortSet.of(8080, 8081), opts(Waiter.Condition.FREE, List.of(), Duration.ofSeconds(5)), x -> { });
    assertEquals(WaitResult.Outcome.MET, r.outcome());
    assertEquals("bind", r.method());
    assertEquals(List.of("0.0.0.0", "127.0.0.1"), r.addresses(), "the fake OS has no IPv6");
    assertEquals(Optional.of(Duration.ZERO), r.ports().get(1).metAfter());
    assertEquals(Optional.of(Duration.ofMillis(400)), r.ports().get(0).metAfter());
  }

  @Test
  void freeTimeoutSaysWhoStillHoldsThePort() {
    FakePlatform os = new FakePlatform().process(4242, 1, "node", "root").listening(8080, 4242);
    WaitResult r = new Waiter(new PortDoctor(os.platform()), new FakeConnector(), new FakeClock())
        .await(PortSet.of(8080), opts(Waiter.Condition.FREE, List.of(), Duration.ofSeconds(1)), x -> { });
    assertEquals(WaitResult.Outcome.TIMEOUT, r.outcome());
    CheckResult c = r.ports().get(0).check().orElseThrow();
    assertEquals(Verdict.IN_USE, c.verdict());
    assertEquals("held by pid 4242 (node)", c.reason());
  }

  @Test
  void interruptionEndsTheWait() {
    FakeClock clock = new FakeClock().interruptAt(2);
    WaitResult r = new Waiter(new PortDoctor(new FakePlatform().platform()), new FakeConnector(), clock)
        .await(PortSet.of(5432), opts(Waiter.Condition.LISTENING, List.of(), Duration.ofSeconds(30)), x -> { });
    assertEquals(WaitResult.Outcome.INTERRUPTED, r.outcome());
    assertEquals(2, r.polls());
    assertFalse(Thread.currentThread().isInterrupted(), "the interruption is answered, not passed on");
  }

  @Test
  void udpHasNoConnectionToWaitFor() {
    assertThrows(PortDoctorException.class, () -> new Waiter.Options(Waiter.Condition.LISTENING, Protocol.UDP,
        List.of("127.0.0.1"), Duration.ZERO, INTERVAL));
  }
}
