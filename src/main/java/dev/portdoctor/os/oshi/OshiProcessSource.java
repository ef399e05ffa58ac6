package dev.portdoctor.os.oshi;

import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.ProcessSource;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Process details through OSHI, which reads what {@link ProcessHandle} often cannot on Windows and
 * macOS (another user's command line, the user name); {@link ProcessHandle} fills what OSHI leaves empty.
 */
public final class OshiProcessSource implements ProcessSource {
  private OperatingSystem os;

  private OperatingSystem os() {
    if (os == null) {
      os = new SystemInfo().getOperatingSystem();
    }
    return os;
  }

  @Override
  public Optional<ProcessInfo> info(long pid) {
    if (pid <= 0 || pid > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    OSProcess p;
    try {
      p = os().getProcess((int) pid);
    } catch (RuntimeException | LinkageError e) {
      p = null;
    }
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (p == null && ph.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle.Info info = ph.map(ProcessHandle::info).orElse(null);
    String name = p != null && notBlank(p.getName()) ? p.getName()
        : info != null ? info.command().map(OshiProcessSource::baseName).orElse("?") : "?";
    Optional<String> exe = p != null && notBlank(p.getPath()) ? Optional.of(p.getPath())
        : info == null ? Optional.empty() : info.command();
    Optional<String> cmd = p != null && notBlank(p.getCommandLine()) ? Optional.of(p.getCommandLine().replace('\0', ' ').strip())
        : info == null ? Optional.empty() : info.commandLine();
    Optional<String> user = p != null && notBlank(p.getUser()) ? Optional.of(p.getUser())
        : info == null ? Optional.empty() : info.user();
    OptionalLong parent = p != null && p.getParentProcessID() > 0 ? OptionalLong.of(p.getParentProcessID())
        : ph.flatMap(ProcessHandle::parent).map(x -> OptionalLong.of(x.pid())).orElse(OptionalLong.empty());
    // the start time must match what kill compares with before it signals: take the JDK's
    Optional<Instant> start = info != null && info.startInstant().isPresent() ? info.startInstant()
        : p != null && p.getStartTime() > 0 ? Optional.of(Instant.ofEpochMilli(p.getStartTime())) : Optional.empty();
    OptionalInt uid = OptionalInt.empty();
    if (p != null && p.getUserID() != null && p.getUserID().chars().allMatch(Character::isDigit) && !p.getUserID().isEmpty()
        && p.getUserID().length() < 10) {
      uid = OptionalInt.of(Integer.parseInt(p.getUserID()));
    }
    return Optional.of(new ProcessInfo(pid, parent, name, exe, cmd, user, uid, start));
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  static String baseName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash >= 0 ? path.substring(slash + 1) : path;
  }
}
