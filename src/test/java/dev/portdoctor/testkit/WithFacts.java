package dev.portdoctor.testkit;

import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.SystemFacts;
import java.util.Optional;
import java.util.OptionalInt;

/** A platform whose system facts also tell an ephemeral port range (FakePlatform's tell none). */
public final class WithFacts {
  private WithFacts() {}

  public static Platform ephemeral(Platform p, PortRange range) {
    SystemFacts f = p.facts();
    SystemFacts facts = new SystemFacts() {
      @Override
      public boolean isPrivileged() {
        return f.isPrivileged();
      }

      @Override
      public OptionalInt unprivilegedPortStart() {
        return f.unprivilegedPortStart();
      }

      @Override
      public boolean hasIpv6() {
        return f.hasIpv6();
      }

      @Override
      public boolean serversReuseAddress() {
        return f.serversReuseAddress();
      }

      @Override
      public Optional<PortRange> ephemeralPortRange() {
        return Optional.of(range);
      }
    };
    return new Platform(p.osName(), p.sockets(), p.processes(), p.probe(), facts, p.control());
  }
}
