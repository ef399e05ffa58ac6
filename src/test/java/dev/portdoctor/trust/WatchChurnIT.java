package dev.portdoctor.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.render.Text;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch --json} follows ten loopback ports for eight seconds, a look every 100 ms, while hundreds
 * of short-lived processes bind and close them ({@link ChurnIT#CHURN}): exit 0, nothing on stderr, no raw
 * control character; every '+' names a PID that held that port at some moment of the look that saw it
 * (a look ends at the event's time and takes well under {@link #LOOK_BOUND_S}), every '-' follows a '+' of
 * the same socket, and a PID is reported gone only after it closed the port.
 */
@EnabledOnOs(OS.LINUX)
class WatchChurnIT {
  /** A generous bound on one look (the socket tables of ten ports and one walk of every process's fds). */
  private static final double LOOK_BOUND_S = 1.5;
  private static final double TOLERANCE_S = 0.010;
  private static final int MIN_CLAIMS = 20;

  @TempDir Path dir;

  @Test
  void everyPlusNamesAPidThatHeldThePortAndEveryMinusFollowsItsPlus() throws Exception {
    List<Integer> ports = ChurnIT.freePorts();
    String csv = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    Path log = dir.resolve("churn.log");
    Result r;
    try (PythonHelper churn = PythonHelper.start(ChurnIT.CHURN, csv, log.toString())) {
      r = CliRunner.run("watch", csv, "--json", "--interval", "100ms", "--duration", "8s");
      churn.process().getOutputStream().close();
      churn.await("SPAWNED");
    }
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err());
    for (char c : r.out().toCharArray()) {
      assertFalse(c != '\n' && Text.needsEscape(c), "raw control character in the output");
    }
    Map<String, List<ChurnIT.Held>> held = ChurnIT.readLog(log);
    Set<String> open = new HashSet<>();
    int claims = 0;
    int removed = 0;
    for (String line : r.out().lines().toList()) {
      Map<String, Object> e = JsonOut.parse(line);
      Map<String, Object> s = JsonOut.map(e.get("socket"));
      double t = Instant.parse((String) e.get("time")).toEpochMilli() / 1000.0;
      int port = ((Number) s.get("localPort")).intValue();
      List<Long> pids = JsonOut.pids(s);
      String key = s.get("localAddress") + ":" + port + " " + s.get("inode") + " " + pids;
      if (e.get("event").equals("added")) {
        assertTrue(open.add(key), () -> "added twice without a removal: " + line);
        for (long pid : pids) {
          List<ChurnIT.Held> times = held.get(pid + " " + port);
          if (times == null) {
            fail("watch reported pid " + pid + " on port " + port + ", which never bound it: " + line);
          }
          boolean during = times.stream().anyMatch(h -> h.bound() - TOLERANCE_S <= t
              && h.closed() + TOLERANCE_S >= t - LOOK_BOUND_S);
          assertTrue(during, () -> "pid " + pid + " held port " + port + " only " + times + ", not during the look"
              + " that ended at " + t + ": " + line);
          claims++;
        }
      } else {
        assertEquals("removed", e.get("event"));
        assertTrue(open.remove(key), () -> "removed without being added: " + line);
        for (long pid : pids) {
          boolean closedBefore = held.getOrDefault(pid + " " + port, List.of()).stream()
              .anyMatch(h -> h.closed() - TOLERANCE_S <= t);
          assertTrue(closedBefore, () -> "reported gone before it closed the port: " + line);
        }
        removed++;
      }
    }
    String summary = claims + " pid/port claims on '+' lines, " + removed + " '-' lines, "
        + r.out().lines().count() + " lines";
    System.out.println(summary);
    assumeTrue(claims >= MIN_CLAIMS, "this machine is too loaded for the looks to see the churn: " + summary);
    assertTrue(removed > 0, summary);
  }
}
