package dev.portdoctor.testkit;

import dev.portdoctor.core.Platform;
import dev.portdoctor.core.ProcessControl;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real process control, with every signal it sends recorded ({@code "TERM 4242"}, {@code "KILL
 * 4242"}), so that a test can prove that a process was never signalled, not only that it survived.
 */
public final class RecordingControl implements ProcessControl {
  private final ProcessControl real;
  /** Every signal asked for, in order. */
  public final List<String> signals = new CopyOnWriteArrayList<>();

  public RecordingControl(ProcessControl real) {
    this.real = real;
  }

  /** The platform with its process control replaced by a recording one. */
  public static Platform around(Platform p, RecordingControl control) {
    return new Platform(p.osName(), p.sockets(), p.processes(), p.probe(), p.facts(), control);
  }

  @Override
  public Sent stop(long pid, String signal) {
    signals.add(signal + " " + pid);
    return real.stop(pid, signal);
  }

  @Override
  public Sent forceStop(long pid) {
    signals.add("KILL " + pid);
    return real.forceStop(pid);
  }

  @Override
  public boolean isAlive(long pid) {
    return real.isAlive(pid);
  }

  @Override
  public Optional<Instant> startTime(long pid) {
    return real.startTime(pid);
  }

  @Override
  public List<Long> descendantsBottomUp(long pid) {
    return real.descendantsBottomUp(pid);
  }

  @Override
  public long self() {
    return real.self();
  }

  @Override
  public Optional<String> currentUser() {
    return real.currentUser();
  }

  @Override
  public List<Long> selfAncestors() {
    return real.selfAncestors();
  }

  @Override
  public List<String> signals() {
    return real.signals();
  }
}
