package dev.portdoctor.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Signals and process-tree queries: what {@code kill} needs from the OS. */
public interface ProcessControl {

  /** The outcome of one signal. */
  enum SignalResult {
    /** The OS accepted the request. */
    SENT,
    /** The process no longer exists. */
    GONE,
    /** Not permitted (another user's process, a protected process). */
    DENIED,
    /** The process cannot be asked politely (a Windows console program): only a forced stop ends it. */
    NEEDS_FORCE,
    /** Anything else; see the message of the kill report. */
    FAILED
  }

  /** A signal outcome with the OS's or tool's message. */
  record Sent(SignalResult result, String message) {
    public static Sent of(SignalResult r) {
      return new Sent(r, "");
    }
  }

  /**
   * The polite stop: the named signal on Unix ({@code TERM} unless the user chose another), a close
   * request on Windows ({@code taskkill /PID n} without {@code /F}).
   */
  Sent stop(long pid, String signal);

  /** The forced stop: SIGKILL, {@code taskkill /F}. */
  Sent forceStop(long pid);

  boolean isAlive(long pid);

  /** The start time, the second half of a process's identity; empty when gone or unknown. */
  Optional<Instant> startTime(long pid);

  /** Every descendant, deepest first (the order in which a tree is ended). */
  List<Long> descendantsBottomUp(long pid);

  /** The PID of this process. */
  long self();

  /** The user portdoctor runs as; another user's processes need --force. */
  default java.util.Optional<String> currentUser() {
    return ProcessHandle.current().info().user();
  }

  /** This process's ancestors, parent first. */
  List<Long> selfAncestors();

  /** Signals that {@code --signal} accepts on this OS ({@code TERM}, {@code INT}...). */
  List<String> signals();
}
