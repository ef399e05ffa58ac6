package dev.portdoctor.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar in a separate process, optionally as another user ({@code setpriv}), as a user
 * would run it. Integration tests only: the jar exists after {@code package}.
 */
public final class JarRunner {
  private JarRunner() {}

  /** The jar built by this build (failsafe passes its path). */
  public static Path jar() {
    String p = System.getProperty("portdoctor.jar", "target/portdoctor.jar");
    Path jar = Path.of(p);
    assumeTrue(Files.isRegularFile(jar), "the packaged jar " + jar + " is absent: run 'mvn verify'");
    return jar;
  }

  /**
   * A copy of the jar in a directory everyone may read, so that an unprivileged user can run it
   * wherever the checkout lives.
   */
  public static Path worldReadableJar(Path tempDir) {
    try {
      Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path copy = tempDir.resolve("portdoctor.jar");
      Files.copy(jar(), copy, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when this JVM runs as root (CI does). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** The command prefix that runs a command as user nobody (65534), dropping every privilege. */
  public static List<String> asNobody() {
    assumeTrue(isRoot(), "dropping privileges needs root");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
    return List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all");
  }

  public static CliRunner.Result run(List<String> prefix, Path jar, String... args) {
    return run(Invocation.plain().prefix(prefix), jar, args);
  }

  /**
   * How to start the jar: a command prefix ({@code setpriv ...}, {@code nsenter ...}), JVM options
   * ({@code -Xmx64m}), variables added to the environment, and a deadline after which the run is
   * ended (by its PID) and the test fails.
   */
  public record Invocation(List<String> prefix, List<String> jvmOptions, Map<String, String> env, Duration timeout) {
    public Invocation {
      prefix = List.copyOf(prefix);
      jvmOptions = List.copyOf(jvmOptions);
      env = Map.copyOf(env);
    }

    public static Invocation plain() {
      return new Invocation(List.of(), List.of(), Map.of(), Duration.ofSeconds(60));
    }

    public Invocation prefix(List<String> p) {
      return new Invocation(p, jvmOptions, env, timeout);
    }

    public Invocation jvm(String... options) {
      List<String> all = new ArrayList<>(jvmOptions);
      all.addAll(List.of(options));
      return new Invocation(prefix, all, env, timeout);
    }

    public Invocation env(String name, String value) {
      Map<String, String> all = new HashMap<>(env);
      all.put(name, value);
      return new Invocation(prefix, jvmOptions, all, timeout);
    }

    public Invocation timeout(Duration t) {
      return new Invocation(prefix, jvmOptions, env, t);
    }

    /** The full command line for the jar and its arguments. */
    public List<String> command(Path jar, String... args) {
      List<String> cmd = new ArrayList<>(prefix);
      cmd.add(ChildJvm.javaBin());
      cmd.addAll(jvmOptions);
      cmd.add("-jar");
      cmd.add(jar.toString());
      cmd.addAll(List.of(args));
      return cmd;
    }

    /** Starts the jar without waiting; stdin is closed. The caller ends it. */
    public Process start(Path jar, String... args) {
      ProcessBuilder pb = new ProcessBuilder(command(jar, args));
      pb.environment().putAll(env);
      try {
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Runs the jar and waits for it, reading both streams at once (a full pipe cannot stall it). Past the
   * deadline the process and its descendants are ended by PID and an {@link AssertionError} names the
   * command.
   */
  public static CliRunner.Result run(Invocation inv, Path jar, String... args) {
    Process p = inv.start(jar, args);
    FutureTask<byte[]> out = drain(p.getInputStream());
    FutureTask<byte[]> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(inv.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("did not finish within " + inv.timeout() + ": " + inv.command(jar, args));
      }
      return new CliRunner.Result(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
          new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read the output of " + inv.command(jar, args), e);
    }
  }

  /** Reads a stream to its end on a thread of its own. */
  public static FutureTask<byte[]> drain(java.io.InputStream in) {
    FutureTask<byte[]> task = new FutureTask<>(() -> {
      try (in) {
        return in.readAllBytes();
      }
    });
    Thread t = new Thread(task, "drain");
    t.setDaemon(true);
    t.start();
    return task;
  }
}
