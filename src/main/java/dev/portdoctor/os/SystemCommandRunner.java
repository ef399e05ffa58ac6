package dev.portdoctor.os;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.PortDoctorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands through {@link ProcessBuilder}: an argument list, the C locale where the OS honours it
 * (so output is not translated), both streams drained at once (a full stderr pipe cannot block the
 * child), a deadline after which the child is killed, and output capped in size.
 */
public final class SystemCommandRunner implements CommandRunner {
  /** More than this much output is not a socket table; stop reading. */
  private static final int MAX_BYTES = 64 * 1024 * 1024;

  private final Charset charset;

  public SystemCommandRunner(Charset charset) {
    this.charset = charset;
  }

  @Override
  public Output run(List<String> argv, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    Map<String, String> env = pb.environment();
    env.put("LC_ALL", "C");
    env.put("LANG", "C");
    env.put("LANGUAGE", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new PortDoctorException(PortDoctorException.INTERNAL,
          "cannot run " + argv.get(0) + ": " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
        // destroying the process closes its streams under the readers: what it printed is lost, and
        // the timeout is the answer (reading on would fail with "Stream closed" and hide it)
        Log.debug(SystemCommandRunner.class, () -> String.join(" ", argv) + ": timed out after " + timeout);
        return new Output(-1, "", "", true);
      }
      String o = new String(out.get(5, TimeUnit.SECONDS), charset);
      String e = new String(err.get(5, TimeUnit.SECONDS), charset);
      Log.debug(SystemCommandRunner.class, () -> String.join(" ", argv) + ": exit " + p.exitValue() + ", "
          + o.length() + " chars");
      return new Output(p.exitValue(), o, e, false);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PortDoctorException(130, "interrupted");
    } catch (ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
      p.destroyForcibly();
      throw new PortDoctorException(PortDoctorException.INTERNAL,
          "cannot read the output of " + argv.get(0) + ": " + e.getMessage(), e);
    }
  }

  private static byte[] drain(InputStream in) {
    try (in) {
      byte[] all = in.readNBytes(MAX_BYTES);
      // discard whatever is beyond the cap, so the child is not blocked on a full pipe
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
