package dev.portdoctor.trust;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.render.Text;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.Pids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A socket-table command that hangs, prints garbage, prints nothing, fails, or is missing: stand-ins
 * written by the test are the only thing on PATH. Each gives exit 70 and one line that names the
 * command, within a bounded time, never "nothing holds it" (the port is held all along by this test).
 */
@EnabledOnOs(OS.LINUX)
class ExternalCommandsIT {
  private static final long TIMEOUT_S = 2;

  @TempDir Path dir;

  /** The stand-in scripts, by case; {@code null} for a missing command. */
  private static Map<String, String> standIns(Path pidFile) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hangs", "#!/bin/sh\necho $$ > " + pidFile + "\nexec /bin/sleep 600\n");
    m.put("garbage", "#!/bin/sh\nprintf 'Segmentation \\033[31mfault\\n%%%% 12 34 ??\\n\\001\\002\\n'\n");
    m.put("nothing", "#!/bin/sh\nexit 0\n");
    m.put("fails", "#!/bin/sh\necho \"$0: cannot open /proc/net/tcp: Permission denied\" >&2\nexit 1\n");
    m.put("missing", null);
    return m;
  }

  /** What stderr must say for each case, given the command's name and argument list. */
  private static Map<String, Function<String, String>> expected(String name) {
    Map<String, Function<String, String>> m = new LinkedHashMap<>();
    m.put("hangs", argv -> "portdoctor: '" + argv + "' did not finish within " + TIMEOUT_S + " s; try another --source");
    m.put("garbage", argv -> "portdoctor: cannot read the output of '" + argv + "': line 1 is not what it should print:");
    m.put("nothing", argv -> "portdoctor: '" + argv + "' printed nothing; try another --source");
    m.put("fails", argv -> "portdoctor: '" + argv + "' failed: ");
    m.put("missing", argv -> "portdoctor: cannot run " + name + ": ");
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"netstat", "ss"})
  void aBrokenCommandIsAnErrorThatNamesItNeverAnEmptyTable(String name) throws Exception {
    String argv = name.equals("ss") ? "ss -tanupe" : "netstat -tanup";
    Path jar = JarRunner.jar();
    Path pidFile = dir.resolve("hang.pid");
    Map<String, Future<Timed>> runs = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(held.getLocalPort());
      for (Map.Entry<String, String> c : standIns(pidFile).entrySet()) {
        Path bin = Files.createDirectories(dir.resolve(c.getKey()));
        if (c.getValue() != null) {
          write(bin.resolve(name), c.getValue());
        }
        JarRunner.Invocation inv = JarRunner.Invocation.plain()
            .jvm("-XX:TieredStopAtLevel=1", "-Xshare:auto")
            .env("PATH", bin.toString())
            .env("PORTDOCTOR_COMMAND_TIMEOUT", TIMEOUT_S + "s")
            .timeout(Duration.ofSeconds(40));
        runs.put(c.getKey(), pool.submit(() -> {
          long t0 = System.nanoTime();
          Result r = JarRunner.run(inv, jar, "who", port, "--source", name);
          return new Timed(r, Duration.ofNanos(System.nanoTime() - t0));
        }));
      }
      List<Runnable> checks = new ArrayList<>();
      Map<String, Function<String, String>> says = expected(name);
      for (Map.Entry<String, Future<Timed>> e : runs.entrySet()) {
        Timed t = e.getValue().get();
        Result r = t.result();
        String what = name + " " + e.getKey() + " (" + t.elapsed().toMillis() + " ms): " + r;
        System.out.println(what);
        checks.add(() -> {
          assertEquals(70, r.exit(), what);
          assertEquals(1, r.err().lines().count(), "one line: " + what);
          assertTrue(r.err().startsWith(says.get(e.getKey()).apply(argv)), what);
          assertTrue(r.out().isEmpty(), "no table, no verdict on stdout: " + what);
          assertFalse((r.out() + r.err()).contains("nothing holds it"), what);
          for (char ch : r.err().strip().toCharArray()) {
            assertFalse(Text.needsEscape(ch), "raw control character " + (int) ch + ": " + what);
          }
          long ms = t.elapsed().toMillis();
          if (e.getKey().equals("hangs")) {
            assertTrue(ms >= TIMEOUT_S * 1000, "it waited for the timeout: " + what);
          }
          assertTrue(ms < TIMEOUT_S * 1000 + 15_000, "bounded: " + what);
        });
      }
      assertAll(checks.stream().map(c -> c::run));
      long hung = Long.parseLong(Files.readString(pidFile).strip());
      try {
        assertTrue(Pids.awaitDeath(hung, Duration.ofSeconds(5)), "the hung " + name + " (pid " + hung + ") was ended");
      } finally {
        Pids.endOurs(hung);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private record Timed(Result result, Duration elapsed) {}

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
