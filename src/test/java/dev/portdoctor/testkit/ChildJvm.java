package dev.portdoctor.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that runs a test main class on the test classpath, reads its {@code READY} report, and
 * ends it (and only it, by PID) on close.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<Integer> ports;
  private final long childPid;

  private ChildJvm(Process process, List<Integer> ports, long childPid) {
    this.process = process;
    this.ports = ports;
    this.childPid = childPid;
  }

  public static String javaBin() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }

  /** Starts the main class with the arguments and waits for READY. */
  public static ChildJvm start(Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.add("-Xshare:auto");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<Integer> ports = new ArrayList<>();
      long childPid = -1;
      String line;
      while ((line = r.readLine()) != null && !line.equals("READY")) {
        if (line.startsWith("PORT ")) {
          ports.add(Integer.parseInt(line.substring(5).trim()));
        } else if (line.startsWith("CHILDPID ")) {
          childPid = Long.parseLong(line.substring(9).trim());
        }
      }
      if (line == null) {
        p.destroyForcibly();
        throw new IllegalStateException("child JVM ended before READY: " + cmd);
      }
      return new ChildJvm(p, ports, childPid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  /** The PID of the holder this one started ({@code child=...}), or -1. */
  public long childPid() {
    return childPid;
  }

  public int port(int i) {
    return ports.get(i);
  }

  /** Ends the process politely (stdin closed), then by force; waits until it is gone. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      if (childPid > 0) {
        ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
