package dev.portdoctor.os.remote;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.PortDoctorException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * Asks one host for a {@link RemoteSnapshot}: one ssh call runs the POSIX script ({@code uname -s}
 * picks the Linux or BSD/macOS part inside it); when the host has no POSIX shell, {@code cmd /c ver}
 * tells whether it is Windows, and a second call runs the PowerShell script.
 */
public final class RemoteReader {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Transport transport;
  private final Duration deadline;

  public RemoteReader(Transport transport, Duration deadline) {
    this.transport = transport;
    this.deadline = deadline;
  }

  public Transport transport() {
    return transport;
  }

  public Duration deadline() {
    return deadline;
  }

  /** A marker nonce: 16 random hex digits, new for every call. */
  public static String nonce() {
    StringBuilder b = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      b.append(Character.forDigit(RANDOM.nextInt(16), 16));
    }
    return b.toString();
  }

  /**
   * Reads the host.
   *
   * @param knownOs the host's {@code uname -s} (or {@code Windows}) when an earlier call found it; null
   * @throws RemoteException when the host cannot be asked or its answer cannot be read
   */
  public RemoteSnapshot read(HostSpec host, ReadRequest request, String knownOs) {
    if ("Windows".equals(knownOs)) {
      return readWindows(host, request);
    }
    String nonce = nonce();
    Transport.Reply r = transport.run(host, PosixScripts.COMMAND, PosixScripts.read(nonce, request), deadline);
    if (r.timedOut() || r.exitCode() == 255) {
      throw RemoteException.fromReply(host, r, deadline);
    }
    if (!r.stdout().contains("@@pd-" + nonce + " os ")) {
      if (knownOs == null && isWindows(host)) {
        return readWindows(host, request);
      }
      throw new RemoteException("unsupported", host + ": no POSIX shell answered (sh -s"
          + (r.exitCode() != 0 ? " exited " + r.exitCode() : "") + ")"
          + (r.stderr().isBlank() ? "" : ": " + RemoteException.lastLine(r.stderr())));
    }
    return parse(host, nonce, r);
  }

  private RemoteSnapshot parse(HostSpec host, String nonce, Transport.Reply r) {
    try {
      return RemoteSnapshot.parse(host.toString(), nonce, r.stdout());
    } catch (RemoteException e) {
      throw e;
    } catch (PortDoctorException e) {
      throw new RemoteException("remote", e.getMessage());
    }
  }

  /** {@code cmd /c ver} prints {@code Microsoft Windows [Version 10.0.19045.3803]} there. */
  private boolean isWindows(HostSpec host) {
    Transport.Reply v = transport.run(host, List.of("cmd", "/c", "ver"), "", deadline);
    boolean windows = !v.timedOut() && v.stdout().contains("Windows");
    Log.debug(RemoteReader.class, () -> host + ": cmd /c ver: " + (windows ? "Windows" : "not Windows"));
    return windows;
  }

  private RemoteSnapshot readWindows(HostSpec host, ReadRequest request) {
    String nonce = nonce();
    Transport.Reply r = transport.run(host, WindowsScripts.command(WindowsScripts.read(nonce, request)), "", deadline);
    if (r.timedOut() || r.exitCode() == 255) {
      throw RemoteException.fromReply(host, r, deadline);
    }
    if (!r.stdout().contains("@@pd-" + nonce + " os ")) {
      throw new RemoteException("unsupported", host + ": Windows, but PowerShell did not run the script"
          + (r.stderr().isBlank() ? "" : ": " + RemoteException.lastLine(r.stderr())));
    }
    return parse(host, nonce, r);
  }
}
