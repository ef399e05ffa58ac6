package dev.portdoctor.os.windows;

import dev.portdoctor.core.ProcessControl;
import dev.portdoctor.os.CommandRunner;
import dev.portdoctor.os.jdk.JdkProcessControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Windows process control: the polite stop is {@code taskkill /PID n} (a close request to its windows),
 * the forced one {@code taskkill /PID n /F}; taskkill's localized answers are classified by
 * {@link TaskkillMessages}. Trees are walked with {@link ProcessHandle} (bottom-up), like on Unix, so
 * each process gets its own identity check before its signal. Everything else is the JDK's.
 */
public final class WindowsProcessControl implements ProcessControl {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final CommandRunner runner;
  private final JdkProcessControl jdk = new JdkProcessControl();

  public WindowsProcessControl(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public Sent stop(long pid, String signal) {
    return taskkill(pid, signal.equals("KILL"));
  }

  @Override
  public Sent forceStop(long pid) {
    return taskkill(pid, true);
  }

  private Sent taskkill(long pid, boolean force) {
    CommandRunner.Output out = runner.run(TaskkillMessages.args(pid, false, force), TIMEOUT);
    if (out.timedOut()) {
      return new Sent(SignalResult.FAILED, "taskkill did not answer within " + TIMEOUT.toSeconds() + " s");
    }
    String text = (out.stdout() + "\n" + out.stderr()).strip();
    return switch (TaskkillMessages.classify(text, out.exitCode())) {
      case SUCCESS -> new Sent(SignalResult.SENT, text);
      case NOT_FOUND -> new Sent(SignalResult.GONE, text);
      case ACCESS_DENIED -> new Sent(SignalResult.DENIED, text);
      case MUST_FORCE -> new Sent(SignalResult.NEEDS_FORCE, text);
      case OTHER -> new Sent(SignalResult.FAILED, text.isEmpty() ? "taskkill exited with " + out.exitCode() : text);
    };
  }

  @Override
  public boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public Optional<Instant> startTime(long pid) {
    return jdk.startTime(pid);
  }

  @Override
  public List<Long> descendantsBottomUp(long pid) {
    return jdk.descendantsBottomUp(pid);
  }

  @Override
  public long self() {
    return jdk.self();
  }

  @Override
  public List<Long> selfAncestors() {
    return jdk.selfAncestors();
  }

  /** taskkill has no signals: TERM is the close request, KILL the forced stop. */
  @Override
  public List<String> signals() {
    return List.of("TERM", "KILL");
  }
}
