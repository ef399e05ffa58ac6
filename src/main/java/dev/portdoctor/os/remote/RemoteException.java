package dev.portdoctor.os.remote;

import dev.portdoctor.core.PortDoctorException;

/**
 * A host that could not be asked, with a stable {@link #kind()} for JSON: {@code unreachable} (no
 * connection), {@code timeout} (no answer within the deadline), {@code auth} (ssh would have asked for
 * a password or passphrase: BatchMode), {@code host-key} (unknown or changed host key), {@code ssh}
 * (another ssh failure), {@code unsupported} (no POSIX shell or PowerShell there), {@code remote}
 * (the host answered, but its tools failed or printed what cannot be read).
 */
public final class RemoteException extends PortDoctorException {
  private static final long serialVersionUID = 1L;

  private final String kind;

  public RemoteException(String kind, String message) {
    super(UNREACHABLE, message);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }

  /** The failure of an ssh call that did not give the script's answer. */
  public static RemoteException fromReply(HostSpec host, Transport.Reply r, java.time.Duration deadline) {
    if (r.timedOut()) {
      return new RemoteException("timeout", host + ": no answer within " + seconds(deadline)
          + " (the host or its sshd does not respond, or the command hangs there); ssh was ended");
    }
    String err = lastLine(r.stderr());
    String lower = err.toLowerCase(java.util.Locale.ROOT);
    if (r.exitCode() == 255) {
      if (lower.contains("permission denied") || lower.contains("too many authentication failures")
          || lower.contains("no more authentication methods")) {
        return new RemoteException("auth", host + ": ssh cannot log in without a password or passphrase prompt"
            + " (BatchMode): " + err + "; load a key into ssh-agent or name it in ~/.ssh/config");
      }
      if (lower.contains("host key verification failed") || lower.contains("remote host identification has changed")) {
        return new RemoteException("host-key", host + ": ssh does not know this host's key (or it changed): " + err
            + "; check it and accept it once with a plain 'ssh "
            + (host.port().isPresent() ? "-p " + host.port().getAsInt() + " " : "") + host.destination() + "'");
      }
      if (lower.contains("connection refused") || lower.contains("no route to host") || lower.contains("could not resolve")
          || lower.contains("network is unreachable") || lower.contains("connection timed out")
          || lower.contains("operation timed out") || lower.contains("name or service not known")
          || lower.contains("connection closed") || lower.contains("connection reset")
          || lower.contains("kex_exchange_identification")) {
        return new RemoteException("unreachable", host + ": cannot connect: " + err);
      }
      return new RemoteException("ssh", host + ": ssh failed: " + (err.isEmpty() ? "exit code 255" : err));
    }
    return new RemoteException("remote", host + ": the command failed there (exit code " + r.exitCode() + ")"
        + (err.isEmpty() ? "" : ": " + err));
  }

  /** The last non-empty line: ssh's own message comes last (after any banner or warning). */
  static String lastLine(String text) {
    String[] lines = text.strip().split("\r?\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String l = lines[i].strip();
      if (!l.isEmpty()) {
        return l.length() > 300 ? l.substring(0, 300) + "..." : l;
      }
    }
    return "";
  }

  static String seconds(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
