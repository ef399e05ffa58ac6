package dev.portdoctor.os.remote;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.PortDoctorException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system {@code ssh} client, started with an argument list:
 * {@code ssh -o BatchMode=yes -o ConnectTimeout=N [-F FILE] [-p PORT] [user@]host -- COMMAND...}.
 * BatchMode makes ssh fail at once where it would ask for a password, a passphrase or a host key
 * confirmation; the user's ~/.ssh/config, agent and known_hosts apply as for any ssh call. The whole
 * call has a deadline, after which the local ssh is ended.
 */
public final class SshTransport implements Transport {
  /** More than this is not a socket table; the rest is read and dropped so ssh never blocks on a full pipe. */
  private static final int MAX_BYTES = 64 * 1024 * 1024;

  private final String program;
  private final Optional<Path> config;
  private final int connectTimeoutSeconds;

  /**
   * @param program the ssh client ({@code ssh}, found on the PATH)
   * @param config an ssh client configuration file for {@code -F}, instead of ~/.ssh/config
   * @param connectTimeoutSeconds ssh's ConnectTimeout
   */
  public SshTransport(String program, Optional<Path> config, int connectTimeoutSeconds) {
    this.program = program;
    this.config = config;
    this.connectTimeoutSeconds = Math.max(1, connectTimeoutSeconds);
  }

  @Override
  public List<String> argv(HostSpec host, List<String> command) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.add("-o");
    argv.add("BatchMode=yes");
    argv.add("-o");
    argv.add("ConnectTimeout=" + connectTimeoutSeconds);
    config.ifPresent(c -> {
      argv.add("-F");
      argv.add(c.toString());
    });
    if (host.port().isPresent()) {
      argv.add("-p");
      argv.add(Integer.toString(host.port().getAsInt()));
    }
    argv.add(host.destination());
    argv.add("--");
    argv.addAll(command);
    return argv;
  }

  @Override
  public Reply run(HostSpec host, List<String> command, String stdin, Duration deadline) {
    List<String> argv = argv(host, command);
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot run " + program
          + " (the ssh client; install OpenSSH's client): " + e.getMessage());
    }
    Drain out = new Drain(p.getInputStream(), "ssh-out-" + host.name());
    Drain err = new Drain(p.getErrorStream(), "ssh-err-" + host.name());
    out.start();
    err.start();
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // ssh ended before it read the script (it could not connect): its exit code and stderr say why
        Log.debug(SshTransport.class, () -> host.name() + ": script not written: " + e.getMessage());
      }
      boolean done = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
        out.join(2000);
        err.join(2000);
        Log.debug(SshTransport.class, () -> host.name() + ": no answer within " + deadline);
        return new Reply(-1, out.text(), err.text(), true);
      }
      out.join(5000);
      err.join(5000);
      int code = p.exitValue();
      Log.debug(SshTransport.class, () -> String.join(" ", argv) + ": exit " + code + ", " + out.size() + " bytes");
      return new Reply(code, out.text(), err.text(), false);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PortDoctorException(130, "interrupted");
    }
  }

  /** Reads a stream to the end on a thread of its own (never the common pool: hosts are asked in parallel). */
  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Drain(InputStream in, String name) {
      super(name);
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      byte[] chunk = new byte[65536];
      try (in) {
        int n;
        while ((n = in.read(chunk)) > 0) {
          synchronized (buf) {
            if (buf.size() < MAX_BYTES) {
              buf.write(chunk, 0, Math.min(n, MAX_BYTES - buf.size()));
            }
          }
        }
      } catch (IOException e) {
        // the process was ended: keep what was read
      }
    }

    int size() {
      synchronized (buf) {
        return buf.size();
      }
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
