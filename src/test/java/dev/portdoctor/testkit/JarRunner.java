package dev.portdoctor.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(ChildJvm.javaBin());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).start();
      p.getOutputStream().close();
      // read both streams fully (outputs are small)
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      return new CliRunner.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
