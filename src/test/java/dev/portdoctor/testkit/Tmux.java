package dev.portdoctor.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real terminal for a test: a tmux server of its own (its own socket, no configuration file), one
 * detached session of a given size running a script the test wrote, keys sent with {@code send-keys}, and
 * the screen read back with {@code capture-pane}, as a person would see it. Closing it ends that server,
 * and with it the processes in its pane. Skipped with the reason where tmux is missing, unless
 * {@code PORTDOCTOR_REQUIRE_SERVERS=1} (.ci/run), which makes that a failure.
 */
public final class Tmux implements AutoCloseable {
  private static final AtomicInteger SERVERS = new AtomicInteger();
  private final String tmux;
  private final String socket;
  private final String session = "t";
  private Path socketPath;

  private Tmux(String tmux, String socket) {
    this.tmux = tmux;
    this.socket = socket;
  }

  /** The tmux binary, or a skip (a failure in CI) when there is none. */
  public static String binary() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(d, "tmux");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    if ("1".equals(System.getenv("PORTDOCTOR_REQUIRE_SERVERS"))) {
      fail("tmux is not installed, and PORTDOCTOR_REQUIRE_SERVERS=1 (scripts/test-servers.sh installs it)");
    }
    assumeTrue(false, "tmux is not installed (scripts/test-servers.sh installs it; apt-get install tmux)");
    return null;
  }

  /**
   * Writes the lines as a shell script in {@code dir} and runs it in a new terminal of that size. The
   * script is the test's own text; nothing in it comes from outside the test.
   */
  public static Tmux start(Path dir, int width, int height, List<String> script) {
    String bin = binary();
    Path file = dir.resolve("pane-" + SERVERS.incrementAndGet() + ".sh");
    try {
      Files.write(file, ("#!/bin/sh\n" + String.join("\n", script) + "\n").getBytes(StandardCharsets.UTF_8));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tmux t = new Tmux(bin, "portdoctor-test-" + ProcessHandle.current().pid() + "-" + SERVERS.get());
    t.tmux("new-session", "-d", "-s", t.session, "-x", Integer.toString(width), "-y", Integer.toString(height),
        file.toString());
    t.socketPath = Path.of(t.tmux("display-message", "-p", "#{socket_path}").trim());
    return t;
  }

  /** Single-quotes a word for the pane's script. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private String tmux(String... args) {
    List<String> cmd = new ArrayList<>(List.of(tmux, "-L", socket, "-f", "/dev/null"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      FutureTask<byte[]> out = JarRunner.drain(p.getInputStream());
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("tmux did not answer within 10 s: " + cmd);
      }
      String text = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      if (p.exitValue() != 0 && !args[0].equals("kill-server")) {
        throw new AssertionError("tmux failed (exit " + p.exitValue() + "): " + cmd + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Types keys: {@code "q"}, {@code "C-c"}, {@code "Down"} (tmux key names). */
  public void keys(String... keys) {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    tmux(args.toArray(new String[0]));
  }

  /** Types the text as it is, character by character. */
  public void type(String text) {
    tmux("send-keys", "-t", session, "-l", text);
  }

  /** The screen as text, one string per row. */
  public String screen() {
    return tmux("capture-pane", "-p", "-t", session);
  }

  /** The screen with its colours and attributes as escape sequences. */
  public String screenWithAttributes() {
    return tmux("capture-pane", "-p", "-e", "-t", session);
  }

  /** A format of the pane: {@code #{pane_title}}, {@code #{pane_pid}}. */
  public String pane(String format) {
    return tmux("display-message", "-p", "-t", session, format).trim();
  }

  public void resize(int width, int height) {
    tmux("resize-window", "-t", session, "-x", Integer.toString(width), "-y", Integer.toString(height));
  }

  /** Waits until the screen shows what is wanted; fails with the last screen. */
  public String await(Predicate<String> wanted, Duration within, String what) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String s = screen();
    while (!wanted.test(s)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the screen never showed " + what + " within " + within + "; it shows:\n" + s);
      }
      Thread.sleep(100);
      s = screen();
    }
    return s;
  }

  /** Ends this test's tmux server and what runs in it, and removes its socket file (tmux leaves it). */
  @Override
  public void close() {
    tmux("kill-server");
    if (socketPath != null && socketPath.getFileName().toString().equals(socket)) {
      try {
        Files.deleteIfExists(socketPath);
      } catch (IOException e) {
        // a stale socket file in tmux's directory: harmless
      }
    }
  }
}
