package dev.portdoctor.os;

import java.time.Duration;
import java.util.List;

/**
 * Runs an external command (netstat, taskkill, lsof...) with an argument list and a timeout; never a
 * shell string. Tests replace it with one that replays captured output.
 */
public interface CommandRunner {

  /** What the command printed, and how it ended. */
  record Output(int exitCode, String stdout, String stderr, boolean timedOut) {}

  /**
   * Runs the command and waits for it, at most {@code timeout}.
   *
   * @throws dev.portdoctor.core.PortDoctorException when the program cannot be started at all
   */
  Output run(List<String> argv, Duration timeout);
}
