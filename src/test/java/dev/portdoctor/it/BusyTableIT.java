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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The port-filtered read of /proc/net/tcp{,6} and the fd walk for the wanted inodes, on a machine with
 * thousands of sockets: the listeners come first in the kernel's tables, so who and list stop reading at
 * the first connection; every holder must still be found (a forked child sharing a [::1] listener, a
 * dual-stack [::] listener), and every listener of the load with its process.
 */
@EnabledOnOs(OS.LINUX)
class BusyTableIT {
  /** 400 listeners and 1,200 connections (both ends), IPv4 and IPv6, then the sockets under test. */
  static final String BUSY = String.join("\n",
      "import os, socket, sys",
      "keep = []; ports = []",
      "for i in range(400):",
      "    fam, host = (socket.AF_INET6, '::1') if i % 2 else (socket.AF_INET, '127.0.0.1')",
      "    l = socket.socket(fam, socket.SOCK_STREAM); l.bind((host, 0)); l.listen(64)",
      "    keep.append(l); ports.append(l.getsockname()[1])",
      "for k in range(600):",
      "    l = keep[k % 400]",
      "    c = socket.socket(l.family, socket.SOCK_STREAM); c.connect(l.getsockname()[:2])",
      "    a, _ = l.accept(); keep += [c, a]",
      "shared = socket.socket(socket.AF_INET6, socket.SOCK_STREAM); shared.bind(('::1', 0)); shared.listen(16)",
      "dual = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)",
      "dual.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); dual.bind(('::', 0)); dual.listen(16)",
      "pid = os.fork()",
      "if pid == 0:",
      "    sys.stdin.read(); os._exit(0)",
      "print('SHARED', shared.getsockname()[1]); print('DUAL', dual.getsockname()[1]); print('CHILD', pid)",
      "print('LOAD', ' '.join(map(str, ports))); print('READY', flush=True)",
      "sys.stdin.read()",
      "os.waitpid(pid, 0)");

  @Test
  void everyHolderIsFoundAmongThousandsOfSockets() {
    try (PythonHelper busy = PythonHelper.start(BUSY)) {
      long child = Long.parseLong(busy.value("CHILD"));

      Result shared = CliRunner.run("who", busy.value("SHARED"), "--json");
      assertEquals(0, shared.exit(), shared::toString);
      Map<String, Object> sock = sockets(JsonOut.parse(shared.out())).stream()
          .filter(s -> "::1".equals(s.get("localAddress"))).findFirst().orElseThrow(() -> new AssertionError(shared));
      assertEquals(List.of(busy.pid(), child), pids(sock), "the listener and the child it forked: " + shared);

      Result dual = CliRunner.run("who", busy.value("DUAL"), "--json");
      assertEquals(0, dual.exit(), dual::toString);
      Map<String, Object> wildcard = sockets(JsonOut.parse(dual.out())).stream()
          .filter(s -> "::".equals(s.get("localAddress"))).findFirst().orElseThrow(() -> new AssertionError(dual));
      assertEquals(List.of(busy.pid(), child), pids(wildcard), dual::toString);

      Result check = CliRunner.run("check", busy.value("DUAL"));
      assertEquals(1, check.exit(), check::toString);
      assertTrue(check.out().contains("held by pid " + busy.pid()), check::toString);

      // every listener of the load, with its holder (the child inherited them all too)
      Result all = CliRunner.run("list", "--json");
      assertEquals(0, all.exit(), all::toString);
      Set<Integer> held = new HashSet<>();
      int listeners = 0;
      for (Map<String, Object> s : list(JsonOut.parse(all.out()).get("sockets"))) {
        if (pids(s).contains(busy.pid())) {
          assertEquals("LISTEN", s.get("state"), s::toString);
          assertTrue(pids(s).contains(child), s::toString);
          held.add(((Number) s.get("localPort")).intValue());
          listeners++;
        }
      }
      for (String p : busy.value("LOAD").split(" ")) {
        assertTrue(held.contains(Integer.parseInt(p)), "listener on " + p + " missing from list");
      }
      assertEquals(402, listeners, "400 listeners of the load, the shared and the dual-stack one");

      // --all reads the whole table: the connections are there too, with their holder
      Result conns = CliRunner.run("list", "--all", "--port", Arrays.stream(busy.value("LOAD").split(" ")).findFirst()
          .orElseThrow(), "--json");
      assertEquals(0, conns.exit(), conns::toString);
      assertTrue(list(JsonOut.parse(conns.out()).get("sockets")).stream()
          .anyMatch(s -> "ESTABLISHED".equals(s.get("state")) && pids(s).contains(busy.pid())), conns::toString);
    }
  }
}
