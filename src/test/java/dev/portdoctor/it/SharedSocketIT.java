package dev.portdoctor.it;

import static dev.portdoctor.testkit.JsonOut.list;
import static dev.portdoctor.testkit.JsonOut.pids;
import static dev.portdoctor.testkit.JsonOut.sockets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** One listening socket held by a parent and the workers it forked after listen(), as pre-fork servers do. */
@EnabledOnOs(OS.LINUX)
class SharedSocketIT {
  /** Listens, forks two workers that inherit the socket, reports the PIDs; all end when stdin closes. */
  static final String PREFORK = String.join("\n",
      "import os, socket, sys",
      "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
      "s.bind(('127.0.0.1', 0)); s.listen(16)",
      "kids = []",
      "for i in range(2):",
      "    pid = os.fork()",
      "    if pid == 0:",
      "        sys.stdin.read()",
      "        os._exit(0)",
      "    kids.append(pid)",
      "print('PORT', s.getsockname()[1]); print('WORKERS', ' '.join(map(str, kids))); print('READY', flush=True)",
      "sys.stdin.read()",
      "for k in kids: os.waitpid(k, 0)");

  @Test
  void everyHolderIsListedUnderItsCommonAncestor() {
    try (PythonHelper server = PythonHelper.start(PREFORK)) {
      String port = server.value("PORT");
      List<Long> workers = java.util.Arrays.stream(server.value("WORKERS").split(" ")).map(Long::parseLong).toList();

      Result r = CliRunner.run("who", port, "--json");
      assertEquals(0, r.exit(), r::toString);
      List<Map<String, Object>> socks = sockets(JsonOut.parse(r.out()));
      assertEquals(1, socks.size(), "one socket, several holders: " + r);
      Map<String, Object> sock = socks.get(0);
      List<Long> pids = pids(sock);
      assertEquals(3, pids.size(), r::toString);
      assertEquals(server.pid(), pids.get(0), "the master first");
      assertTrue(pids.containsAll(workers), r::toString);
      List<Map<String, Object>> procs = list(sock.get("processes"));
      assertEquals(0, ((Number) procs.get(0).get("depth")).intValue());
      assertEquals(1, ((Number) procs.get(1).get("depth")).intValue(), "workers nest under the master");
      assertEquals(1, ((Number) procs.get(2).get("depth")).intValue());
      assertEquals(server.pid(), ((Number) JsonOut.map(sock.get("commonAncestor")).get("pid")).longValue());

      Result text = CliRunner.run("who", port);
      assertTrue(text.out().contains("shared by 3 processes under python3 (pid " + server.pid() + ")"), text::toString);

      Result check = CliRunner.run("check", port);
      assertEquals(1, check.exit());
      assertTrue(check.out().contains("held by pid " + server.pid() + " (python3)"), check::toString);
    }
  }
}
