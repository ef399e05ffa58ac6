package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.SocketHolderMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** ss as the oracle (psutil's test_against_ss): the same listening sockets and the same PIDs. */
@EnabledOnOs(OS.LINUX)
class ListVersusSsIT {
  private static final Pattern PID = Pattern.compile("pid=(\\d+)");

  @Test
  void sameListenersAndPidsAsSs() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")), "ss is not installed");
    try (ChildJvm a = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:0", "tcp:[::1]:0");
        ChildJvm b = ChildJvm.start(SocketHolderMain.class, "tcp:[::]:0")) {
      // Sockets come and go on a machine; take the two views until they agree on a stable moment.
      Map<String, Set<Long>> ours = null;
      Map<String, Set<Long>> theirs = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        theirs = ss();
        ours = list();
        if (ours.equals(theirs) && ours.equals(ss())) {
          break;
        }
      }
      assertEquals(theirs, ours);
      String key = "[::]:" + b.port(0);
      assertEquals(Set.of(b.pid()), ours.get(key), "our child is in both: " + ours);
    }
  }

  /** local address -> PIDs, from ss -Htlnp (IPv6 in brackets, as ss prints it). */
  private static Map<String, Set<Long>> ss() throws Exception {
    Process p = new ProcessBuilder("ss", "-Htlnp").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
    Map<String, Set<Long>> m = new TreeMap<>();
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      String local = f[3].replaceAll("%[^:\\]]+", ""); // ss prints 127.0.0.53%lo:53
      if (local.startsWith("*:")) {
        local = "[::]" + local.substring(1); // ss prints a dual-stack [::] listener as *:PORT
      }
      Set<Long> pids = m.computeIfAbsent(local, k -> new TreeSet<>());
      Matcher mm = PID.matcher(line);
      while (mm.find()) {
        pids.add(Long.parseLong(mm.group(1)));
      }
    }
    return m;
  }

  private static Map<String, Set<Long>> list() {
    Result r = CliRunner.run("list", "--json");
    Map<String, Set<Long>> m = new TreeMap<>();
    for (Map<String, Object> s : JsonOut.list(JsonOut.parse(r.out()).get("sockets"))) {
      String addr = (String) s.get("localAddress");
      String key = (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + s.get("localPort");
      m.computeIfAbsent(key, k -> new TreeSet<>()).addAll(JsonOut.pids(s));
    }
    return m;
  }
}
