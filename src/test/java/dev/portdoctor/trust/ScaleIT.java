package dev.portdoctor.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list --all} with 20,000 TCP sockets (listeners and connected pairs, held by four processes),
 * run as the jar with {@code -Xmx64m}: exit 0, exactly one row per socket, each with its holder, as a
 * table and as JSON, and a peak resident size that stays bounded. The sockets live in a network
 * namespace the test creates ({@code unshare --net}), so the count is exact and the machine's own port
 * range is not touched; the jar reads that namespace through {@code nsenter}.
 */
@EnabledOnOs(OS.LINUX)
class ScaleIT {
  static final int PROCESSES = 4;
  static final int LISTENERS = 1000;
  static final int PAIRS = 2000;
  static final int SOCKETS = PROCESSES * (LISTENERS + 2 * PAIRS);
  /** What the resident size of the whole JVM (heap, metaspace, code, threads) must stay under. */
  static final long RSS_BOUND_KB = 200 * 1024;

  /**
   * Brings up loopback in its (new) network namespace, raises its own RLIMIT_NOFILE, and forks the
   * workers, each with LISTENERS listeners and PAIRS connected pairs; prints WORKERS and READY. The
   * workers end when this process does (they wait for EOF on a pipe it holds).
   */
  static final String SOCKETS_HELPER = String.join("\n",
      "import os, resource, socket, subprocess, sys",
      "procs, listeners, pairs = map(int, sys.argv[1:4])",
      "subprocess.run(['/usr/sbin/ip', 'link', 'set', 'lo', 'up'], check=True)",
      "need = listeners + 2 * pairs + 64",
      "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)",
      "resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, need), max(hard, need)))",
      "life_r, life_w = os.pipe()",
      "kids = []",
      "for k in range(procs):",
      "    ready_r, ready_w = os.pipe()",
      "    pid = os.fork()",
      "    if pid == 0:",
      "        try:",  // whatever happens, a worker never returns to the loop (and forks)
      "            os.close(life_w); os.close(ready_r)",
      "            ls = [socket.socket() for _ in range(listeners)]",
      "            for l in ls:",
      "                l.bind(('127.0.0.1', 0)); l.listen(128)",
      "            held = []",
      "            for i in range(pairs):",
      "                l = ls[i % listeners]",
      "                c = socket.socket(); c.connect(l.getsockname()); a, _ = l.accept(); held += [c, a]",
      "            os.write(ready_w, b'ok')",
      "            os.read(life_r, 1)",
      "        finally:",
      "            os._exit(0)",
      "    os.close(ready_w)",
      "    assert os.read(ready_r, 2) == b'ok'",
      "    os.close(ready_r)",
      "    kids.append(pid)",
      "print('WORKERS', ' '.join(map(str, kids)))",
      "print('READY', flush=True)",
      "sys.stdin.read()");

  @TempDir Path dir;

  @Test
  void listAllOfTwentyThousandSocketsInSixtyFourMegabytesOfHeap() throws Exception {
    assumeTrue(JarRunner.isRoot(), "a network namespace of its own needs root");
    for (String tool : List.of("/usr/bin/unshare", "/usr/bin/nsenter", "/usr/sbin/ip")) {
      assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed");
    }
    Path jar = JarRunner.jar();
    long t0 = System.nanoTime();
    try (PythonHelper helper = PythonHelper.startWith(List.of("/usr/bin/unshare", "--net", "--"), SOCKETS_HELPER,
        Integer.toString(PROCESSES), Integer.toString(LISTENERS), Integer.toString(PAIRS))) {
      Set<Long> workers = Arrays.stream(helper.value("WORKERS").split(" ")).map(Long::parseLong)
          .collect(Collectors.toSet());
      long setupMs = (System.nanoTime() - t0) / 1_000_000;

      Measured table = run(helper.pid(), jar, "table", "list", "--all");
      assertEquals(0, table.result().exit(), table.result().err());
      List<String> rows = table.result().out().lines().skip(1).toList();
      assertEquals(SOCKETS, rows.size(), "one row per socket");
      assertEquals(SOCKETS - PROCESSES * LISTENERS, rows.stream().filter(r -> r.contains("ESTABLISHED")).count());

      Measured json = run(helper.pid(), jar, "json", "list", "--all", "--json");
      assertEquals(0, json.result().exit(), json.result().err());
      List<Map<String, Object>> sockets = JsonOut.list(JsonOut.parse(json.result().out()).get("sockets"));
      assertEquals(SOCKETS, sockets.size());
      assertEquals(PROCESSES * LISTENERS, sockets.stream().filter(s -> s.get("state").equals("LISTEN")).count());
      for (Map<String, Object> s : sockets) {
        assertEquals("known", s.get("ownerStatus"), s::toString);
        assertTrue(workers.containsAll(JsonOut.pids(s)) && JsonOut.pids(s).size() == 1, s::toString);
      }

      System.out.println(SOCKETS + " sockets set up in " + setupMs + " ms; list --all -Xmx64m: table "
          + table.describe() + ", json " + json.describe());
      for (Measured m : List.of(table, json)) {
        m.maxRssKb().ifPresent(kb -> assertTrue(kb < RSS_BOUND_KB, "peak RSS " + kb + " KB: " + m.describe()));
      }
    }
  }

  private record Measured(Result result, Duration elapsed, java.util.OptionalLong maxRssKb) {
    String describe() {
      return elapsed.toMillis() + " ms" + (maxRssKb.isPresent() ? ", peak RSS " + maxRssKb.getAsLong() / 1024 + " MB" : "");
    }
  }

  /** Runs the jar in the helper's network namespace, under /usr/bin/time -v when it is installed. */
  private Measured run(long inNamespaceOf, Path jar, String name, String... args) throws Exception {
    List<String> prefix = new ArrayList<>(List.of("/usr/bin/nsenter", "--net=/proc/" + inNamespaceOf + "/ns/net", "--"));
    Path timeFile = dir.resolve("time-" + name + ".txt");
    boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
    if (timed) {
      prefix.addAll(List.of("/usr/bin/time", "-v", "-o", timeFile.toString()));
    }
    JarRunner.Invocation inv = JarRunner.Invocation.plain().prefix(prefix)
        .jvm("-Xmx64m", "-XX:TieredStopAtLevel=1").timeout(Duration.ofSeconds(60));
    long t0 = System.nanoTime();
    Result r = JarRunner.run(inv, jar, args);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    java.util.OptionalLong rss = java.util.OptionalLong.empty();
    if (timed) {
      for (String line : Files.readAllLines(timeFile)) {
        if (line.strip().startsWith("Maximum resident set size (kbytes):")) {
          rss = java.util.OptionalLong.of(Long.parseLong(line.substring(line.lastIndexOf(':') + 1).strip()));
        }
      }
      assertTrue(rss.isPresent(), "no peak RSS in the output of /usr/bin/time -v");
    }
    return new Measured(r, elapsed, rss);
  }
}
