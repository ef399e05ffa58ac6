package dev.portdoctor.os.remote;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.Protocol;
import java.util.Optional;

/** The lines the remote probes print: {@code PORT ADDR REUSE free|err ERRNO TEXT} (python3), {@code PORT ADDR open|closed} (bash). */
final class ProbeLines {
  private ProbeLines() {}

  /** One trial bind of the python3 probe, or null. */
  static ProbeResult bind(String line, Protocol protocol) {
    String[] f = line.strip().split(" ", 6);
    if (f.length < 4 || !digits(f[0]) || !(f[2].equals("0") || f[2].equals("1"))) {
      return null;
    }
    int port = Integer.parseInt(f[0]);
    if (port < 1 || port > 65535) {
      return null;
    }
    boolean reuse = f[2].equals("1");
    if (f[3].equals("free")) {
      return new ProbeResult(protocol, f[1], port, reuse, BindOutcome.FREE, Optional.empty());
    }
    if (!f[3].equals("err") || f.length < 5) {
      return null;
    }
    String message = f.length > 5 ? f[5] : f[4];
    return new ProbeResult(protocol, f[1], port, reuse, outcome(f[4]), Optional.of(message));
  }

  /** A connect probe's answer: true (something accepted), false (refused), or null (not such a line). */
  static Boolean connect(String line, int[] portOut, String[] addressOut) {
    String[] f = line.strip().split(" ");
    if (f.length != 3 || !digits(f[0]) || !(f[2].equals("open") || f[2].equals("closed"))) {
      return null;
    }
    portOut[0] = Integer.parseInt(f[0]);
    addressOut[0] = f[1];
    return f[2].equals("open");
  }

  static BindOutcome outcome(String errno) {
    return switch (errno) {
      case "EADDRINUSE", "AddressAlreadyInUse" -> BindOutcome.IN_USE;
      case "EACCES", "EPERM", "AccessDenied" -> BindOutcome.PERMISSION;
      case "EADDRNOTAVAIL", "AddressNotAvailable" -> BindOutcome.ADDRESS_NOT_AVAILABLE;
      case "EAFNOSUPPORT", "EPROTONOSUPPORT", "EPFNOSUPPORT", "AddressFamilyNotSupported", "ProtocolNotSupported"
          -> BindOutcome.FAMILY_NOT_SUPPORTED;
      default -> BindOutcome.ERROR;
    };
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
