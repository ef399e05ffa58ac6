package dev.portdoctor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portdoctor.testkit.ChildJvm;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.JarRunner;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.PythonHelper;
import dev.portdoctor.testkit.SocketHolderMain;
import dev.portdoctor.testkit.Tmux;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-screen {@code watch} in a real terminal: tmux runs the packaged jar, send-keys types, and
 * capture-pane reads what a person sees. A listener this test opens appears (marked +), fades (-,
 * "closed") and goes; a resize redraws at the new size; {@code k} asks before it ends anything, 'n'
 * leaves the process alive and 'y' ends it; q and Ctrl-C leave the terminal as it was (the shell's
 * text back, not in raw mode: {@code stty -a} shows icanon and echo); a process name and command line
 * full of escape sequences reach the screen only escaped. Skipped with the reason where tmux is
 * missing, unless PORTDOCTOR_REQUIRE_SERVERS=1 (.ci/run).
 */
@EnabledOnOs(OS.LINUX)
class WatchScreenIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long SELF = ProcessHandle.current().pid();
  private static final Pattern SANE = Pattern.compile("(?s).*(^|\\s)icanon(\\s|$).*(^|\\s)echo(\\s|$).*", Pattern.MULTILINE);

  @TempDir Path dir;

  private static int freePort() throws IOException {
    return WatchLinesIT.freePort();
  }

  /** The pane's script: a line before, watch with these arguments, its exit status and the tty's modes. */
  private static List<String> script(List<String> jvm, String... watchArgs) {
    List<String> argv = new ArrayList<>();
    argv.add(ChildJvm.javaBin());
    argv.addAll(jvm);
    argv.add("-jar");
    argv.add(JarRunner.jar().toString());
    argv.add("watch");
    argv.addAll(List.of(watchArgs));
    StringBuilder cmd = new StringBuilder();
    for (String a : argv) {
      cmd.append(Tmux.quote(a)).append(' ');
    }
    // Ctrl-C reaches the whole foreground group, this shell too: with a trap (not an ignore, which the
    // child would inherit) the shell lives on to print the exit status
    return List.of("trap : INT", "echo BEFORE-WATCH", cmd.toString().trim(), "echo \"EXIT=$?\"", "stty -a",
        "echo AFTER-WATCH", "exec sleep 600");
  }

  private static String rowWith(String screen, String part) {
    return screen.lines().filter(l -> l.contains(part)).findFirst().orElse("");
  }

  private static void assertRestored(String screen, int exit) {
    assertTrue(screen.contains("BEFORE-WATCH"), () -> "the shell's screen is back (alternate screen left):\n" + screen);
    assertTrue(screen.contains("EXIT=" + exit), screen);
    assertTrue(SANE.matcher(screen.substring(screen.indexOf("EXIT="))).matches(),
        () -> "the terminal is out of raw mode (icanon, echo):\n" + screen);
    assertFalse(screen.contains("portdoctor watch  tcp"), "the watch screen is gone:\n" + screen);
  }

  @Test
  void aListenerAppearsFadesAndGoesAndQLeavesTheTerminalAsItWas() throws Exception {
    int port = freePort();
    String p = ":" + port + " ";
    Path classes = dir.resolve("classes.log");
    try (Tmux t = Tmux.start(dir, 120, 30, script(List.of("-Xlog:class+load=info:file=" + classes),
        Integer.toString(port), "--interval", "300ms"))) {
      String empty = t.await(s -> s.contains("waiting for one to appear"), WAIT, "the empty table");
      assertTrue(empty.lines().findFirst().orElse("").startsWith("portdoctor watch  tcp listeners, ports " + port),
          empty);
      String shown;
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        shown = t.await(x -> rowWith(x, p).startsWith("+ tcp"), WAIT, "the new listener, marked +");
      }
      String row = rowWith(shown, p);
      assertTrue(row.matches("\\+ tcp +(127\\.0\\.0\\.1|\\[::ffff:127\\.0\\.0\\.1\\]):" + port + " +LISTEN +" + SELF
          + " +java .*"), row);
      assertTrue(shown.contains("processes: java (" + SELF + ") 1"), shown);
      String fading = t.await(x -> rowWith(x, p).startsWith("- tcp") && rowWith(x, p).contains("(closed "), WAIT,
          "the closed listener, marked - and fading");
      assertTrue(fading.contains("processes: none"), fading);
      t.await(x -> !x.contains(p) && x.contains("waiting for one to appear"), WAIT, "the closed listener gone");

      t.resize(80, 20);
      String small = t.await(x -> x.lines().count() == 20 && x.lines().toList().get(19).startsWith("q quit"), WAIT,
          "the screen redrawn at 80x20, the keys on its last line");
      assertTrue(small.lines().allMatch(l -> l.length() <= 80), small);

      t.keys("q");
      assertRestored(t.await(x -> x.contains("AFTER-WATCH"), WAIT, "watch to end"), 0);
    }
    List<String> loaded = Files.readAllLines(classes);
    assertTrue(loaded.stream().anyMatch(l -> l.contains(" org.jline.terminal.TerminalBuilder ")),
        "the full-screen view is the one that loads the terminal library");
  }

  @Test
  void killAsksFirstNoLeavesTheProcessYesEndsItAndCtrlCRestores() throws Exception {
    try (ChildJvm holder = ChildJvm.start(SocketHolderMain.class, "tcp:127.0.0.1:" + freePort())) {
      String port = Integer.toString(holder.port(0));
      CliRunner.Result mine = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", port, "--json");
      List<Long> pids = JsonOut.list(JsonOut.parse(mine.out()).get("sockets")).stream()
          .flatMap(s -> JsonOut.pids(s).stream()).toList();
      assumeTrue(List.of(holder.pid()).containsAll(pids), "port " + port + " is also used by " + pids + ": not killing");
      try (Tmux t = Tmux.start(dir, 120, 30, script(List.of(), port, "--interval", "300ms"))) {
        String p = ":" + port + " ";
        t.await(x -> rowWith(x, p).contains(" " + holder.pid() + " "), WAIT, "the child's listener");

        t.keys("k");
        String asked = t.await(x -> x.contains("End these processes? [y/N]"), WAIT, "the question");
        assertTrue(asked.contains(port + "/tcp: held by pid " + holder.pid() + " (java)"), asked);
        assertTrue(asked.contains("pid " + holder.pid() + "  java  holder"), asked);
        Thread.sleep(1000);
        assertTrue(holder.process().isAlive(), "nothing ends while it asks");

        t.keys("n");
        t.await(x -> x.contains("nothing was ended"), WAIT, "the answer to 'n'");
        Thread.sleep(1500);
        assertTrue(holder.process().isAlive(), "'n' leaves the process alive");
        assertTrue(rowWith(t.screen(), p).contains(" " + holder.pid() + " "), "and its listener on the screen");

        t.keys("k");
        t.await(x -> x.contains("End these processes? [y/N]"), WAIT, "the question again");
        t.keys("y");
        String done = t.await(x -> x.contains("is free now"), WAIT, "the kill's result");
        assertTrue(done.contains("pid " + holder.pid() + "  java  stopped"), done);
        assertTrue(holder.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "'y' ended the child");
        t.await(x -> rowWith(x, p).startsWith("- tcp"), WAIT, "its listener marked closed");

        t.keys("C-c");
        assertRestored(t.await(x -> x.contains("AFTER-WATCH"), WAIT, "watch to end on Ctrl-C"), 130);
      }
    }
  }

  @Test
  void escapeSequencesInANameReachTheScreenOnlyEscaped() throws Exception {
    try (PythonHelper h = PythonHelper.startAlone(HostileTextIT.LAUNCHER)) {
      String port = h.value("PORT");
      // wide enough for the whole command line, whose hostile arguments come after a long script
      try (Tmux t = Tmux.start(dir, 600, 30, script(List.of(), port, "--interval", "300ms"))) {
        String s = t.await(x -> x.contains("\\e[31mevil\\x07"), WAIT, "the hostile name, escaped");
        String row = rowWith(s, "127.0.0.1:" + port + " ");
        assertTrue(row.contains("\\e[31mevil\\x07"), row);
        assertTrue(row.contains("\\e]0;pwned\\x07\\e[2J line1\\nline2"), row);
        assertTrue(s.contains("processes: \\e[31mevil\\x07"), s);
        assertFalse(t.pane("#{pane_title}").contains("pwned"), "no title was set by the name");
        assertTrue(s.startsWith("portdoctor watch  tcp listeners"), "the screen was not cleared by it:\n" + s);
        assertTrue(s.lines().noneMatch(l -> l.startsWith("tcp 0.0.0.0:22")), "no fake row of its own:\n" + s);
        String attrs = t.screenWithAttributes();
        assertFalse(Pattern.compile("\u001b\\[([0-9;]*;)?31m").matcher(attrs).find(),
            () -> "no red from the name's escape sequence:\n" + attrs.replace("\u001b", "\\e"));
        t.keys("q");
        assertRestored(t.await(x -> x.contains("AFTER-WATCH"), WAIT, "watch to end"), 0);
      }
    }
  }
}
