package dev.portdoctor.os.jdk;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.ProcessControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Unix process control through {@link ProcessHandle}: {@code destroy()} sends SIGTERM and
 * {@code destroyForcibly()} SIGKILL; any other signal goes through {@code kill -s SIG PID} (an argument
 * list, a timeout, no shell).
 */
public final class JdkProcessControl implements ProcessControl {
  private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "KILL");

  @Override
  public Sent stop(long pid, String signal) {
    String sig = signal.toUpperCase(Locale.ROOT);
    if (sig.equals("TERM")) {
      return viaHandle(pid, false);
    }
    if (sig.equals("KILL")) {
      return viaHandle(pid, true);
    }
    return viaKillCommand(pid, sig);
  }

  @Override
  public Sent forceStop(long pid) {
    return viaHandle(pid, true);
  }

  private static Sent viaHandle(long pid, boolean force) {
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty()) {
      return Sent.of(SignalResult.GONE);
    }
    boolean ok;
    try {
      ok = force ? ph.get().destroyForcibly() : ph.get().destroy();
    } catch (IllegalStateException | SecurityException e) {
      return new Sent(SignalResult.DENIED, e.getMessage() == null ? "" : e.getMessage());
    }
    if (ok) {
      return Sent.of(SignalResult.SENT);
    }
    // destroy() says false for EPERM and for a process that just exited
    return ph.get().isAlive() ? new Sent(SignalResult.DENIED, "operation not permitted") : Sent.of(SignalResult.GONE);
  }

  private static Sent viaKillCommand(long pid, String sig) {
    List<String> cmd = List.of("kill", "-s", sig, Long.toString(pid));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Sent(SignalResult.FAILED, "kill -s " + sig + " timed out");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() == 0) {
        return Sent.of(SignalResult.SENT);
      }
      String lower = out.toLowerCase(Locale.ROOT);
      if (lower.contains("not permitted")) {
        return new Sent(SignalResult.DENIED, out);
      }
      if (lower.contains("no such process")) {
        return Sent.of(SignalResult.GONE);
      }
      return new Sent(SignalResult.FAILED, out);
    } catch (IOException e) {
      Log.debug(JdkProcessControl.class, "kill command failed", e);
      return new Sent(SignalResult.FAILED, "cannot run kill: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sent(SignalResult.FAILED, "interrupted");
    }
  }

  @Override
  public boolean isAlive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    // A zombie has exited and closed its sockets; only its parent's wait() is missing. But /proc/PID/stat
    // is the main thread's: a process whose main thread has ended, while other threads still run or are
    // still exiting (a JVM after SIGKILL, on a busy machine), shows 'Z' there and holds its descriptors
    // until its last thread is gone.
    java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
    try {
      String s = java.nio.file.Files.readString(stat);
      int close = s.lastIndexOf(')');
      if (close < 0 || close + 2 >= s.length() || s.charAt(close + 2) != 'Z') {
        return true;
      }
      return threads(pid) > 1;
    } catch (IOException | RuntimeException e) {
      return !java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc")) || java.nio.file.Files.exists(stat);
    }
  }

  /** The "Threads:" count of /proc/PID/status; 0 when the process is gone. */
  private static int threads(long pid) {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring("Threads:".length()).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  @Override
  public Optional<Instant> startTime(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
  }

  @Override
  public List<Long> descendantsBottomUp(long pid) {
    Optional<ProcessHandle> root = ProcessHandle.of(pid);
    if (root.isEmpty()) {
      return List.of();
    }
    Map<Long, Integer> depth = new HashMap<>();
    depth.put(pid, 0);
    List<ProcessHandle> all = new ArrayList<>();
    // descendants() walks the table once, parents before children
    root.get().descendants().forEach(all::add);
    for (ProcessHandle h : all) {
      long parent = h.parent().map(ProcessHandle::pid).orElse(-1L);
      depth.put(h.pid(), depth.getOrDefault(parent, 0) + 1);
    }
    List<Long> out = new ArrayList<>();
    for (ProcessHandle h : all) {
      out.add(h.pid());
    }
    out.sort(Comparator.comparingInt((Long p) -> depth.getOrDefault(p, 0)).reversed());
    return out;
  }

  @Override
  public long self() {
    return ProcessHandle.current().pid();
  }

  @Override
  public List<Long> selfAncestors() {
    List<Long> out = new ArrayList<>();
    Optional<ProcessHandle> p = ProcessHandle.current().parent();
    while (p.isPresent() && out.size() < 128) {
      out.add(p.get().pid());
      p = p.get().parent();
    }
    return out;
  }

  @Override
  public List<String> signals() {
    return SIGNALS;
  }
}
