package dev.portdoctor.os.windows;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SystemFacts;
import dev.portdoctor.os.CommandRunner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What Windows adds to a failed bind: excluded port ranges ({@code netsh interface ipv4|ipv6 show
 * excludedportrange protocol=tcp|udp}), read once per protocol and family when a bind is refused.
 * Windows has no privileged ports, and servers there do not set SO_REUSEADDR.
 */
public final class WindowsSystemFacts implements SystemFacts {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final CommandRunner runner;
  private final Map<String, ExcludedPortRanges> cache = new HashMap<>();

  public WindowsSystemFacts(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public boolean isPrivileged() {
    return false; // not known without a native call; only used to word messages
  }

  @Override
  public OptionalInt unprivilegedPortStart() {
    return OptionalInt.empty();
  }

  @Override
  public boolean hasIpv6() {
    return true;
  }

  @Override
  public boolean serversReuseAddress() {
    return false;
  }

  @Override
  public Optional<PortRange> excludedRange(Protocol protocol, int port) {
    for (String family : List.of("ipv4", "ipv6")) {
      Optional<ExcludedPortRange> r = ranges(family, protocol).rangeContaining(port);
      if (r.isPresent()) {
        return Optional.of(new PortRange(r.get().start(), r.get().end(),
            r.get().administered() ? "an administered exclusion (netsh ... add excludedportrange)" : "Windows excluded range"));
      }
    }
    return Optional.empty();
  }

  /** Windows' default dynamic port range (netsh int ipv4 show dynamicport tcp can change it). */
  @Override
  public Optional<PortRange> ephemeralPortRange() {
    return Optional.of(new PortRange(49152, 65535, "the Windows dynamic port range"));
  }

  /** The argument list of the netsh query, for a family and a protocol. */
  static List<String> netshArgs(String family, Protocol protocol) {
    return List.of("netsh", "interface", family, "show", "excludedportrange", "protocol=" + protocol.label());
  }

  private ExcludedPortRanges ranges(String family, Protocol protocol) {
    return cache.computeIfAbsent(family + protocol, k -> {
      try {
        CommandRunner.Output o = runner.run(netshArgs(family, protocol), TIMEOUT);
        return ExcludedPortRangeParser.parse(o.stdout());
      } catch (PortDoctorException e) {
        Log.debug(WindowsSystemFacts.class, () -> "netsh failed: " + e.getMessage());
        return ExcludedPortRangeParser.parse("");
      }
    });
  }
}
