package dev.portdoctor.os.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.KillOptions;
import dev.portdoctor.core.KillOutcome;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.Killer;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.ReplayTransport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kill plan on a host's snapshot (the real capture) and the script that carries it out. */
class RemoteKillTest {
  private static final KillOptions OPTIONS = new KillOptions(Set.of(Protocol.TCP), false, false, "TERM",
      Duration.ofSeconds(4), Duration.ZERO, false);

  private static KillReport plan(int port, KillOptions o) {
    ReplayTransport t = new ReplayTransport().answer(Fixtures.ownText("remote/linux-devvm-who.txt"));
    RemoteSnapshot s = new RemoteReader(t, Duration.ofSeconds(5)).read(HostSpec.parse("web-3"),
        new ReadRequest(EnumSet.allOf(Protocol.class), dev.portdoctor.core.PortSet.of(port), true, Optional.empty()), null);
    return new Killer(new PortDoctor(RemotePlatform.of(s)), x -> { }).plan(port, Protocol.TCP, o);
  }

  @Test
  void theMasterFirstWithItsStartTimeAndInodeCheckedRightBeforeTheSignal() {
    KillReport p = plan(18090, OPTIONS);
    assertEquals(KillReport.Status.PLANNED, p.status(), p.message());
    assertEquals(List.of(25598L, 25686L), p.plan().stream().map(t -> t.pid()).toList());
    String script = RemoteKill.script("abcdefabcdefabcd", p, OPTIONS);
    int master = script.indexOf("if sg 25598 \"Fri Dec 4 21:43:06 2026\" \"");
    int halfWait = script.indexOf("wt 20 $S");
    int worker = script.indexOf("elif sg 25686 \"Fri Dec 4 21:43:06 2026\" \"");
    assertTrue(master > 0 && halfWait > master && worker > halfWait, script);
    assertTrue(script.contains("if [ -z \"$s25598\" ]; then echo \"$m out 25686 skipped-master 25598\""), script);
    assertTrue(script.contains("kill -s KILL $p"), script);
    // only our text: PIDs, the start times we formatted, inodes, the signal name
    assertTrue(script.chars().allMatch(c -> c == '\n' || (c >= ' ' && c < 127)));
  }

  @Test
  void theRemoteShellAndItsSshdAreNeverPlanned() {
    // the shell that ran the read holds no port, but the rule is the local one: self and ancestors
    KillReport p = plan(18090, OPTIONS);
    assertTrue(p.plan().stream().noneMatch(t -> t.pid() == 25903L || t.pid() == 25868L));
  }

  @Test
  void outcomesFromTheScriptsLines() {
    KillReport p = plan(18090, OPTIONS);
    String m = "@@pd-abcdefabcdefabcd out ";
    String out = m + "25598 sent TERM\n" + m + "25686 by-master 25598\n" + m + "25598 end polite\n";
    List<KillOutcome> o = RemoteKill.outcomes("abcdefabcdefabcd", out, p, OPTIONS);
    assertEquals(KillOutcome.Result.STOPPED, o.get(0).result());
    assertEquals("ended after SIGTERM", o.get(0).detail());
    assertEquals("ended by its master, pid 25598, after its SIGTERM", o.get(1).detail());

    String reused = m + "25598 reused\n" + m + "25686 skipped-master 25598\n";
    o = RemoteKill.outcomes("abcdefabcdefabcd", reused, p, OPTIONS);
    assertEquals(KillOutcome.Result.SKIPPED, o.get(0).result());
    assertTrue(o.get(0).detail().contains("now belongs to another process"));
    assertEquals(KillOutcome.Result.SKIPPED, o.get(1).result());

    String denied = m + "25598 denied sh: kill: (25598) - Operation not permitted\n";
    o = RemoteKill.outcomes("abcdefabcdefabcd", denied, p, OPTIONS);
    assertEquals(KillOutcome.Result.DENIED, o.get(0).result());
    assertEquals("permission denied: sh: kill: (25598) - Operation not permitted", o.get(0).detail());
    // a line with another nonce is not ours
    o = RemoteKill.outcomes("abcdefabcdefabcd", "@@pd-0000000000000000 out 25598 end polite\n", p, OPTIONS);
    assertEquals(KillOutcome.Result.SKIPPED, o.get(0).result());
  }
}
