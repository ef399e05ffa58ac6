package dev.portdoctor.os.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.testkit.Fixtures;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** ps as the remote read runs it, on the real capture in fixtures/remote/ (procps-ng 4.0.2, TZ=UTC). */
class PsParserTest {
  private static Map<Long, ProcessInfo> captured() {
    String text = Fixtures.ownText("remote/linux-devvm-who.txt");
    String ps = text.substring(text.indexOf(" ps\n") + 4);
    return PsParser.parse(ps.substring(0, ps.indexOf("@@pd-")));
  }

  @Test
  void everyRowOfARealCapture() {
    Map<Long, ProcessInfo> all = captured();
    ProcessInfo init = all.get(1L);
    assertEquals("process_api", init.name());
    assertEquals(OptionalLong.of(0), init.parentPid());
    assertEquals("2026-12-04T21:07:45Z", init.startTime().get().toString());
    assertEquals("kthreadd", all.get(2L).name()); // [kthreadd]
    ProcessInfo holder = all.get(25686L);
    assertEquals(OptionalLong.of(25598), holder.parentPid());
    assertEquals(Optional.of("root"), holder.user());
    assertEquals(OptionalInt.of(0), holder.uid());
    ProcessInfo shell = all.get(25903L);
    assertEquals("sh", shell.name());
    assertEquals(Optional.of("sh -s"), shell.commandLine());
  }

  @Test
  void namesOfServersThatRewriteTheirCommandLine() {
    assertEquals("nginx", PsParser.name("nginx: master process /usr/sbin/nginx -g daemon off;"));
    assertEquals("sshd", PsParser.name("sshd: root@notty"));
    assertEquals("postgres", PsParser.name("/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main"));
  }

  @Test
  void lstartRoundTripsForTheGuard() {
    String line = "25598     1     0 root                             Fri Dec  4 21:43:06 2026 /usr/bin/python3 x.py";
    ProcessInfo p = PsParser.line(line);
    assertEquals("Fri Dec 4 21:43:06 2026", PsParser.lstart(p.startTime().get()));
    assertEquals(PsParser.lstartOf(line), PsParser.lstart(p.startTime().get()));
  }

  @Test
  void linesThatAreNotRowsAreLeftOut() {
    assertNull(PsParser.line(""));
    assertNull(PsParser.line("  PID  PPID   UID USER STARTED COMMAND"));
    assertNull(PsParser.line("12 1 0 root Fri Dec 44 21:43:06 2026 x"));
    assertNull(PsParser.line("12 1 0 root Fri Dec"));
  }
}
