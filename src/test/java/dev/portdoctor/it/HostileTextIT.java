package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.render.Text;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A listener whose process name and command line hold escape sequences, newlines, a fake table row and
 * bytes that are not UTF-8. Nothing of it may reach the terminal raw, and JSON must stay valid.
 */
@EnabledOnOs(OS.LINUX)
class HostileTextIT {
  /** Starts a child with hostile argv bytes; the child renames itself (comm) and listens. */
  static final String LAUNCHER = String.join("\n",
      "import subprocess, sys",
      "child = r'''",
      "import ctypes, socket, sys",
      "ctypes.CDLL(None).prctl(15, b'\\x1b[31mevil\\x07', 0, 0, 0)",
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)",
      "import os",
      "print('PORT', s.getsockname()[1]); print('CHILD', os.getpid()); print('READY', flush=True)",
      "sys.stdin.read()",
      "'''",
      "args = [sys.executable.encode(), b'-c', child.encode(), b'\\x1b]0;pwned\\x07\\x1b[2J',",
      "        b'line1\\nline2', b'\\xff\\xfe-not-utf8', b'tcp 0.0.0.0:22 LISTEN 1 root sshd', b'\\xe2\\x80\\xae']",
      "p = subprocess.Popen(args)",
      "p.wait()");

  @Test
  void tableAndJsonStaySafe() {
    try (PythonHelper h = PythonHelper.start(LAUNCHER)) {
      String port = h.value("PORT");
      Result who = CliRunner.run("who", port);
      assertEquals(0, who.exit(), who::toString);
      String out = who.out();
      for (char c : out.toCharArray()) {
        assertFalse(c != '\n' && Text.needsEscape(c), () -> "raw control character " + (int) c + " in\n" + out);
      }
      assertTrue(out.contains("\\e[31mevil\\x07"), out);
      assertTrue(out.contains("\\e]0;pwned\\x07\\e[2J line1\\nline2 \\xff\\xfe-not-utf8"), out);
      assertTrue(out.contains("\\u202e"), out);
      long commandLines = out.lines().filter(l -> l.contains("command:")).count();
      assertEquals(1, commandLines, out);
      assertTrue(out.lines().noneMatch(l -> l.startsWith("tcp 0.0.0.0:22")), "a fake row stays inside the command line");

      Result list = CliRunner.run("list", "--port", port);
      assertEquals(2, list.out().split("\n").length, list::toString);

      Result json = CliRunner.run("who", port, "--json");
      for (char c : json.out().toCharArray()) {
        assertFalse(c != '\n' && Text.needsEscape(c), () -> "raw control character " + (int) c + " in JSON");
      }
      Map<String, Object> proc = JsonOut.list(JsonOut.sockets(JsonOut.parse(json.out())).get(0).get("processes")).get(0);
      assertEquals("\u001b[31mevil\u0007", proc.get("name"), "JSON keeps the real value, escaped in the encoding");
      assertTrue(((String) proc.get("commandLine")).contains("line1\nline2 \\xff\\xfe-not-utf8"), proc::toString);
    }
  }
}
