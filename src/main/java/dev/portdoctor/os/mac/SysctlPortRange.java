package dev.portdoctor.os.mac;

import dev.portdoctor.core.PortRange;
import dev.portdoctor.os.CommandRunner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The ephemeral port range of macOS and the BSDs: {@code sysctl -n net.inet.ip.portrange.first
 * net.inet.ip.portrange.last} prints the two numbers on two lines. Both default to 49152-65535.
 */
public final class SysctlPortRange {
  /** The IANA dynamic range, the default of macOS, FreeBSD and Windows. */
  public static final PortRange DEFAULT = new PortRange(49152, 65535);

  static final List<String> ARGV = List.of("sysctl", "-n", "net.inet.ip.portrange.first", "net.inet.ip.portrange.last");

  private SysctlPortRange() {}

  /** Asks sysctl (2 s at most); the default when it cannot answer. */
  public static PortRange read(CommandRunner runner) {
    try {
      CommandRunner.Output out = runner.run(ARGV, Duration.ofSeconds(2));
      if (out.exitCode() == 0 && !out.timedOut()) {
        return parse(out.stdout()).orElse(DEFAULT);
      }
    } catch (RuntimeException e) {
      // sysctl missing or failing: the default is right on almost every machine
    }
    return DEFAULT;
  }

  /** Two numbers, one a line; empty for anything else. */
  static Optional<PortRange> parse(String stdout) {
    String[] f = stdout.strip().split("\\s+");
    if (f.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PortRange(Integer.parseInt(f[0]), Integer.parseInt(f[1])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
