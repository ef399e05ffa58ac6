package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A listener inside a network namespace that this test makes itself ({@code unshare --net}, loopback
 * brought up inside, 127.0.0.1 bound): {@code who PORT --all-netns} finds it with its PID and namespace;
 * plain {@code who PORT} does not, and says other namespaces exist. Needs root and unshare/ip.
 */
@EnabledOnOs(OS.LINUX)
class NetnsIT {
  private static final String SERVER = String.join("\n",
      "import socket, sys",
      "s = socket.socket()",
      "s.bind(('127.0.0.1', 0))",
      "s.listen(5)",
      "print('PORT', s.getsockname()[1], flush=True)",
      "print('READY', flush=True)",
      "sys.stdin.read()");

  private static String which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      for (String d : List.of(dir, "/usr/sbin", "/sbin")) {
        Path p = Path.of(d, tool);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    return null;
  }

  @Test
  void allNetnsFindsAListenerInANamespaceOfItsOwn() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "creating a network namespace needs root");
    String unshare = which("unshare");
    String ip = which("ip");
    assumeTrue(unshare != null, "unshare (util-linux) is not installed");
    assumeTrue(ip != null, "ip (iproute2) is not installed");
    String python = PythonHelper.python();
    // unshare execs sh, which execs python: one PID, in the new namespace
    ProcessBuilder pb = new ProcessBuilder(unshare, "--net", "--", "sh", "-c",
        "\"$0\" link set lo up && exec \"$1\" -c \"$2\"", ip, python, SERVER)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process child = pb.start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String port = null;
      String line;
      while ((line = r.readLine()) != null && !line.equals("READY")) {
        if (line.startsWith("PORT ")) {
          port = line.substring(5).trim();
        }
      }
      assumeTrue(line != null, "unshare --net did not start the listener (not permitted here?)");
      long pid = child.pid();
      String link = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
      long inode = Long.parseLong(link.substring(5, link.length() - 1));
      assumeTrue(!link.equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString()),
          "the child shares our namespace");

      Result plain = CliRunner.run("who", port);
      assertEquals(1, plain.exit(), plain::toString);
      assertTrue(plain.out().contains("--all-netns"), plain::toString);
      Result plainJson = CliRunner.run("who", port, "--json");
      assertTrue(((String) JsonOut.parse(plainJson.out()).get("hint")).contains("--all-netns"), plainJson::toString);

      Result all = CliRunner.run("who", port, "--all-netns", "--json");
      assertEquals(0, all.exit(), all::toString);
      Map<String, Object> json = JsonOut.parse(all.out());
      assertEquals(true, json.get("allNetns"));
      List<Map<String, Object>> sockets = JsonOut.sockets(json);
      assertEquals(1, sockets.size(), all::toString);
      assertEquals(List.of(pid), JsonOut.pids(sockets.get(0)));
      assertEquals(inode, ((Number) sockets.get(0).get("netns")).longValue());
      assertEquals("127.0.0.1", sockets.get(0).get("localAddress"));
      Map<String, Object> ns = JsonOut.list(json.get("namespaces")).stream()
          .filter(n -> ((Number) n.get("inode")).longValue() == inode).findFirst().orElseThrow();
      assertEquals(pid, ((Number) ns.get("pid")).longValue());
      assertEquals(false, ns.get("current"));

      Result text = CliRunner.run("who", port, "--all-netns");
      assertEquals(0, text.exit(), text::toString);
      assertTrue(text.out().contains("network namespace " + link + " (pid " + pid + " python3"), text::toString);
      assertTrue(text.out().contains("127.0.0.1:" + port), text::toString);
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
