package dev.portdoctor.os;

import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.ProcessControl;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.core.SystemFacts;
import dev.portdoctor.os.jdk.ChannelPortProbe;
import dev.portdoctor.os.jdk.JdkProcessControl;
import dev.portdoctor.os.jdk.ProcessHandleSource;
import dev.portdoctor.os.linux.LinuxSystemFacts;
import dev.portdoctor.os.linux.ProcProcessSource;
import dev.portdoctor.os.linux.ProcSocketSource;
import dev.portdoctor.os.mac.SysctlPortRange;
import dev.portdoctor.os.windows.WindowsProcessControl;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Picks the platform for the running OS: one switch on {@code os.name}, as OSHI's SystemInfo does. */
public final class Platforms {
  private Platforms() {}

  public static Platform detect() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) {
      return linux(Path.of("/proc"));
    }
    return unsupportedTable(os, !os.startsWith("windows"));
  }

  /** Linux through {@code /proc}; tests pass a copy of it. */
  public static Platform linux(Path procRoot) {
    LinuxSystemFacts facts = new LinuxSystemFacts(procRoot);
    int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    boolean live = procRoot.equals(Path.of("/proc"));
    return new Platform("linux",
        new ProcSocketSource(procRoot, facts.isRoot(), threads),
        new ProcProcessSource(procRoot, live),
        new ChannelPortProbe(),
        facts,
        new JdkProcessControl());
  }

  /**
   * An OS whose socket table portdoctor cannot read yet: trial binds work, the table does not.
   */
  private static Platform unsupportedTable(String os, boolean unix) {
    SocketSource none = new SocketSource() {
      @Override
      public String name() {
        return "none";
      }

      @Override
      public List<SocketEntry> snapshot(SocketQuery query) {
        throw new PortDoctorException(PortDoctorException.INTERNAL,
            "reading the socket table is not supported on " + os + " yet");
      }
    };
    SystemFacts facts = new SystemFacts() {
      @Override
      public boolean isPrivileged() {
        return false;
      }

      @Override
      public OptionalInt unprivilegedPortStart() {
        return unix ? OptionalInt.of(1024) : OptionalInt.empty();
      }

      @Override
      public boolean hasIpv6() {
        return true;
      }

      @Override
      public boolean serversReuseAddress() {
        return unix;
      }

      @Override
      public Optional<PortRange> ephemeralPortRange() {
        // macOS and the BSDs say it through sysctl; Windows' dynamic range is 49152-65535 by default
        return Optional.of(unix ? SysctlPortRange.read(new SystemCommandRunner(java.nio.charset.StandardCharsets.UTF_8))
            : SysctlPortRange.DEFAULT);
      }
    };
    ProcessControl control = unix ? new JdkProcessControl() : new WindowsProcessControl(
        new SystemCommandRunner(java.nio.charset.Charset.forName(System.getProperty("native.encoding", "UTF-8"))));
    return new Platform(os, none, new ProcessHandleSource(), new ChannelPortProbe(), facts, control);
  }
}
