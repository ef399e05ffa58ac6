package dev.portdoctor.os.windows;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.ProcessSource;
import dev.portdoctor.os.CommandRunner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Windows process details: the base source (OSHI, then ProcessHandle) for the process, and
 * {@code tasklist /svc /fi "PID eq N"} (an argument list, no shell) for the services an
 * {@code svchost.exe} hosts, because the service, not the host process, is what holds the port.
 */
public final class WindowsProcessSource implements ProcessSource {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ProcessSource base;
  private final CommandRunner runner;

  public WindowsProcessSource(ProcessSource base, CommandRunner runner) {
    this.base = base;
    this.runner = runner;
  }

  @Override
  public Optional<ProcessInfo> info(long pid) {
    return base.info(pid);
  }

  @Override
  public List<String> services(long pid) {
    try {
      CommandRunner.Output o = runner.run(args(pid), TIMEOUT);
      return o.timedOut() ? List.of() : TasklistServicesParser.parse(o.stdout()).getOrDefault(pid, List.of());
    } catch (PortDoctorException e) {
      Log.debug(WindowsProcessSource.class, () -> "tasklist failed: " + e.getMessage());
      return List.of();
    }
  }

  static List<String> args(long pid) {
    return List.of("tasklist", "/svc", "/fi", "PID eq " + pid);
  }
}
