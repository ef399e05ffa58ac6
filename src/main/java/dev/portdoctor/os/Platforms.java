package dev.portdoctor.os;

import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortRange;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.core.SystemFacts;
import dev.portdoctor.os.jdk.ChannelPortProbe;
import dev.portdoctor.os.jdk.JdkProcessControl;
import dev.portdoctor.os.linux.LinuxNetstatParser;
import dev.portdoctor.os.linux.LinuxSystemFacts;
import dev.portdoctor.os.linux.ProcProcessSource;
import dev.portdoctor.os.linux.ProcSocketSource;
import dev.portdoctor.os.linux.SsParser;
import dev.portdoctor.os.mac.BsdNetstatParser;
import dev.portdoctor.os.mac.LsofParser;
import dev.portdoctor.os.mac.SysctlPortRange;
import dev.portdoctor.os.oshi.OshiProcessSource;
import dev.portdoctor.os.oshi.OshiSocketSource;
import dev.portdoctor.os.windows.NetTcpConnectionParser;
import dev.portdoctor.os.windows.WindowsNetstatParser;
import dev.portdoctor.os.windows.WindowsProcessControl;
import dev.portdoctor.os.windows.WindowsProcessSource;
import dev.portdoctor.os.windows.WindowsSystemFacts;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Picks the platform for the running OS (one switch on {@code os.name}, as OSHI's SystemInfo does) and
 * the socket source that {@code --source} names:
 *
 * <ul>
 *   <li>Linux: {@code proc} (default: /proc, no subprocess), {@code native} (OSHI), {@code ss}, {@code netstat}.
 *   <li>Windows: {@code native} (default: OSHI, GetExtendedTcpTable), {@code netstat} ({@code netstat -ano}),
 *       {@code powershell} (Get-NetTCPConnection / Get-NetUDPEndpoint as CSV).
 *   <li>macOS: {@code native} (default: OSHI, libproc), {@code lsof} ({@code lsof -F}), {@code netstat} ({@code netstat -anv}).
 * </ul>
 *
 * {@code auto} takes the default and, if it cannot be read, the others in the order above.
 */
public final class Platforms {
  private Platforms() {}

  /** The sources each OS offers, default first. */
  public static List<String> sourceNames(String os) {
    return switch (family(os)) {
      case "linux" -> List.of("proc", "native", "ss", "netstat");
      case "windows" -> List.of("native", "netstat", "powershell");
      default -> List.of("native", "lsof", "netstat");
    };
  }

  public static Platform detect(String source) {
    String os = System.getProperty("os.name", "");
    Charset cs = Charset.forName(System.getProperty("native.encoding", "UTF-8"));
    return forOs(os, source, new SystemCommandRunner(cs), Path.of("/proc"));
  }

  private static String family(String os) {
    String o = os.toLowerCase(Locale.ROOT);
    return o.startsWith("linux") ? "linux" : o.startsWith("windows") ? "windows" : o.startsWith("mac") ? "mac" : "unix";
  }

  /**
   * The platform of an OS, with the given socket source; tests pass a runner that replays captured
   * output, so the Windows and macOS paths run on Linux.
   */
  public static Platform forOs(String os, String source, CommandRunner runner, Path procRoot) {
    String fam = family(os);
    Duration timeout = commandTimeout(System.getenv("PORTDOCTOR_COMMAND_TIMEOUT"));
    List<String> names = sourceNames(os);
    String wanted = source == null ? "auto" : source.toLowerCase(Locale.ROOT);
    if (!wanted.equals("auto") && !names.contains(wanted)) {
      throw PortDoctorException.usage("--source " + source + " is not available on " + os + "; use auto, "
          + String.join(", ", names));
    }
    Map<String, Supplier<SocketSource>> sources = new LinkedHashMap<>();
    switch (fam) {
      case "linux" -> {
        LinuxSystemFacts facts = new LinuxSystemFacts(procRoot);
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
        sources.put("proc", () -> new ProcSocketSource(procRoot, facts.isRoot(), threads));
        sources.put("native", OshiSocketSource::new);
        // with its header, so that empty output can only mean a failure
        sources.put("ss", () -> new CommandSocketSource("ss", runner, List.of(
            new CommandSocketSource.Step(List.of("ss", "-tanupe"), t -> new SsParser().parse(t))), timeout));
        sources.put("netstat", () -> new CommandSocketSource("netstat", runner, List.of(
            new CommandSocketSource.Step(List.of("netstat", "-tanup"), LinuxNetstatParser::parse)), timeout));
        boolean live = procRoot.equals(Path.of("/proc"));
        return new Platform("linux", pick(wanted, sources), new ProcProcessSource(procRoot, live, runner,
            dev.portdoctor.os.linux.LinuxOrigins.defaultDockerSocket(System.getenv())),
            new ChannelPortProbe(), facts, new JdkProcessControl());
      }
      case "windows" -> {
        sources.put("native", OshiSocketSource::new);
        sources.put("netstat", () -> new CommandSocketSource("netstat", runner, List.of(
            new CommandSocketSource.Step(List.of("netstat", "-ano"), WindowsNetstatParser::parse)), timeout));
        sources.put("powershell", () -> new CommandSocketSource("powershell", runner, List.of(
            new CommandSocketSource.Step(powershell("Get-NetTCPConnection"), t -> NetTcpConnectionParser.parseCsv(t, Protocol.TCP)),
            new CommandSocketSource.Step(powershell("Get-NetUDPEndpoint"), t -> NetTcpConnectionParser.parseCsv(t, Protocol.UDP))),
            timeout));
        return new Platform(os.toLowerCase(Locale.ROOT), pick(wanted, sources),
            new WindowsProcessSource(new OshiProcessSource(), runner),
            new ChannelPortProbe(), new WindowsSystemFacts(runner), new WindowsProcessControl(runner));
      }
      default -> {
        sources.put("native", OshiSocketSource::new);
        sources.put("lsof", () -> new CommandSocketSource("lsof", runner, List.of(
            new CommandSocketSource.Step(List.of("lsof", "-nP", "-iTCP", "-iUDP", "-F", "pcfnPtTu0"), LsofParser::parse, true)),
            timeout));
        sources.put("netstat", () -> new CommandSocketSource("netstat", runner, List.of(
            new CommandSocketSource.Step(List.of("netstat", "-anv", "-p", "tcp"), BsdNetstatParser::parse),
            new CommandSocketSource.Step(List.of("netstat", "-anv", "-p", "udp"), BsdNetstatParser::parse)), timeout));
        return new Platform(os.toLowerCase(Locale.ROOT), pick(wanted, sources), new OshiProcessSource(),
            new ChannelPortProbe(), unixFacts(fam), new JdkProcessControl());
      }
    }
  }

  /** {@code PORTDOCTOR_COMMAND_TIMEOUT}: 500ms, 5s, 1m, or a number of seconds. */
  static Duration commandTimeout(String value) {
    if (value == null || value.isBlank()) {
      return CommandSocketSource.DEFAULT_TIMEOUT;
    }
    String v = value.strip();
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(v.endsWith("s") ? v.substring(0, v.length() - 1) : v));
    } catch (NumberFormatException e) {
      throw PortDoctorException.usage("invalid PORTDOCTOR_COMMAND_TIMEOUT '" + value + "': expected 500ms, 5s or 1m");
    }
  }

  /**
   * The PowerShell command for a cmdlet, as CSV (never the formatted table). The script is a constant:
   * no user text is ever put into it.
   */
  static List<String> powershell(String cmdlet) {
    String fields = cmdlet.equals("Get-NetTCPConnection")
        ? "LocalAddress,LocalPort,RemoteAddress,RemotePort,State,OwningProcess"
        : "LocalAddress,LocalPort,OwningProcess";
    return List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-Command",
        cmdlet + " | Select-Object " + fields + " | ConvertTo-Csv -NoTypeInformation");
  }

  private static SocketSource pick(String wanted, Map<String, Supplier<SocketSource>> sources) {
    if (!wanted.equals("auto")) {
      return sources.get(wanted).get();
    }
    List<SocketSource> all = new ArrayList<>();
    for (Supplier<SocketSource> s : sources.values()) {
      all.add(s.get());
    }
    return new FallbackSocketSource(all);
  }

  /** macOS (since 10.14) and the BSDs differ on privileged ports; only say "privileged" where it is sure. */
  private static SystemFacts unixFacts(String fam) {
    return new SystemFacts() {
      @Override
      public boolean isPrivileged() {
        return "root".equals(System.getProperty("user.name"));
      }

      @Override
      public java.util.Optional<PortRange> ephemeralPortRange() {
        // macOS and the BSDs say it through sysctl
        return java.util.Optional.of(SysctlPortRange.read(new SystemCommandRunner(java.nio.charset.StandardCharsets.UTF_8)));
      }

      @Override
      public OptionalInt unprivilegedPortStart() {
        // macOS 10.14 and later let any user bind ports below 1024; other Unix systems do not
        return fam.equals("mac") ? OptionalInt.empty() : OptionalInt.of(1024);
      }

      @Override
      public boolean hasIpv6() {
        return true;
      }
    };
  }
}
