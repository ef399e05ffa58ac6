package dev.portdoctor.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.render.Text;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * What {@code it/HostileTextIT} does not cover yet: a process name (comm) with a newline that makes it
 * look like a table row, and a 100 KB command line that hides another fake row behind a newline. The
 * list table keeps one line per socket, who keeps each field on its line, JSON parses and keeps the
 * real values, and no raw control character reaches the output.
 */
@EnabledOnOs(OS.LINUX)
class HostileNamesIT {
  static final String FAKE_NAME = "tcp\n0.0.0.0:22";
  static final String FAKE_ROW = "tcp    0.0.0.0:22    LISTEN  1  root  sshd  /usr/sbin/sshd -D";

  /** Starts a child with a 100 KB argument; the child renames itself (comm, 14 bytes) and listens. */
  static final String LAUNCHER = String.join("\n",
      "import subprocess, sys",
      "child = r'''",
      "import ctypes, os, socket, sys",
      "ctypes.CDLL(None).prctl(15, b'tcp\\n0.0.0.0:22', 0, 0, 0)",
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)",
      "print('PORT', s.getsockname()[1]); print('READY', flush=True)",
      "sys.stdin.read()",
      "'''",
      "huge = 'A' * 50000 + '\\n" + FAKE_ROW + "\\n' + 'B' * 50000",
      "subprocess.Popen([sys.executable, '-c', child, huge]).wait()");

  private static void assertNoRawControl(String out, String what) {
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      int at = i;
      assertFalse(c != '\n' && Text.needsEscape(c), () -> "raw control character " + (int) c + " at " + at + " in " + what);
    }
  }

  @Test
  void aNewlineInTheNameAndAHundredKilobyteCommandLineStayOnTheirLines() {
    try (PythonHelper h = PythonHelper.startAlone(LAUNCHER)) {
      String port = h.value("PORT");

      Result list = CliRunner.run("list", "--port", port);
      assertEquals(0, list.exit(), list::toString);
      assertNoRawControl(list.out(), "list");
      List<String> lines = list.out().lines().toList();
      assertEquals(2, lines.size(), "the header and one row: " + list.out().length() + " chars");
      String row = lines.get(1);
      assertTrue(row.contains("tcp\\n0.0.0.0:22"), row.substring(0, Math.min(300, row.length())));
      assertTrue(row.length() > 100_000, "the command line is there, whole: " + row.length());

      Result who = CliRunner.run("who", port);
      assertEquals(0, who.exit(), who::toString);
      assertNoRawControl(who.out(), "who");
      assertTrue(who.out().lines().noneMatch(l -> l.startsWith("0.0.0.0:22") || l.startsWith("tcp    0.0.0.0:22")),
          "no fake row of its own");
      assertEquals(1, who.out().lines().filter(l -> l.contains("command:")).count());
      assertTrue(who.out().contains("\\n" + FAKE_ROW + "\\n"), "the fake row is inside the escaped command line");

      Result json = CliRunner.run("list", "--port", port, "--json");
      assertNoRawControl(json.out(), "JSON");
      Map<String, Object> proc = JsonOut.list(
          JsonOut.list(JsonOut.parse(json.out()).get("sockets")).get(0).get("processes")).get(0);
      assertEquals(FAKE_NAME, proc.get("name"), "JSON keeps the real value, escaped in the encoding");
      String cmd = (String) proc.get("commandLine");
      assertTrue(cmd.length() > 100_000 && cmd.contains("\n" + FAKE_ROW + "\n"), () -> "length " + cmd.length());

      Result check = CliRunner.run("check", port);
      assertEquals(1, check.exit(), check::toString);
      assertNoRawControl(check.out(), "check");
      assertTrue(check.out().contains("tcp\\n0.0.0.0:22"), check::toString);
    }
  }
}
