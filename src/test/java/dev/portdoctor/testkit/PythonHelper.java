package dev.portdoctor.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A python3 script as a test's helper process, for what a JVM cannot do: fork() so that a child
 * inherits a listening socket, or exec a process with arbitrary bytes in its name and arguments. The
 * script prints lines {@code KEY value} and {@code READY}, and lives until its stdin closes. Tests that
 * use it are skipped when python3 is absent.
 */
public final class PythonHelper implements AutoCloseable {
  private final Process process;
  private final List<String> lines;
  private final BufferedReader reader;

  private PythonHelper(Process process, List<String> lines, BufferedReader reader) {
    this.process = process;
    this.lines = lines;
    this.reader = reader;
  }

  public static String python() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      java.nio.file.Path p = java.nio.file.Path.of(dir, "python3");
      if (java.nio.file.Files.isExecutable(p)) {
        return p.toString();
      }
    }
    assumeTrue(false, "python3 is not installed");
    return null;
  }

  public static PythonHelper start(String script, String... args) {
    return startWith(List.of(), script, args);
  }

  /**
   * As {@link #start}, for a script that prints {@code PORT n}, until no other socket uses that port
   * number: the kernel hands out port numbers per address family, so a process elsewhere on the machine
   * may hold [::1]:n while ours holds 127.0.0.1:n, and {@code kill n} means every socket on n. A test
   * that ends or counts what holds its port starts its holder this way.
   */
  public static PythonHelper startAlone(String script, String... args) {
    for (int attempt = 1; attempt <= 5; attempt++) {
      PythonHelper h = start(script, args);
      String port = h.value("PORT");
      CliRunner.Result r = CliRunner.run("list", "--all", "--tcp", "--udp", "--port", port, "--json");
      if (r.exit() == 0 && JsonOut.list(JsonOut.parse(r.out()).get("sockets")).size() == 1) {
        return h;
      }
      h.close();
    }
    throw new IllegalStateException("five ports in a row were shared with other processes' sockets");
  }

  /**
   * As {@link #start}, run through a command prefix that execs it in the same process
   * ({@code unshare --net --}), so {@link #pid()} is still the script's.
   */
  public static PythonHelper startWith(List<String> prefix, String script, String... args) {
    return startWithInterpreter(prefix, python(), script, args);
  }

  /**
   * As {@link #startWith}, with this interpreter: one that the user of the prefix can run
   * ({@code /usr/bin/python3} for {@code setpriv} to nobody, where the PATH's may live under /root).
   */
  public static PythonHelper startWithInterpreter(List<String> prefix, String python, String script, String... args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(python);
    cmd.add("-c");
    cmd.add(script);
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null && !line.equals("READY")) {
        lines.add(line);
      }
      if (line == null) {
        p.destroyForcibly();
        throw new IllegalStateException("python helper ended before READY: " + lines);
      }
      return new PythonHelper(p, lines, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value printed after {@code KEY }. */
  public String value(String key) {
    for (String l : lines) {
      if (l.startsWith(key + " ")) {
        return l.substring(key.length() + 1).trim();
      }
    }
    throw new IllegalStateException(key + " not printed: " + lines);
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Writes one line to the script's stdin (a command for scripts that read them). */
  public void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the script's output after READY until a line {@code KEY value}, and returns the value. Lines
   * read on the way are kept for {@link #value}. Fails when the script ends first.
   */
  public String await(String key) {
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        if (line.startsWith(key + " ") || line.equals(key)) {
          return line.substring(key.length()).trim();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("python helper ended before printing " + key + ": " + lines);
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
