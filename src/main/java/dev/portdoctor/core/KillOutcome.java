package dev.portdoctor.core;

/** What happened to one process of a kill plan. */
public record KillOutcome(long pid, String name, String role, Result result, String detail) {

  /** Stable names for output and JSON. */
  public enum Result {
    /** Ended after the polite stop. */
    STOPPED("stopped"),
    /** Ended only after the forced stop. */
    FORCED("forced"),
    /** Had exited on its own before it was signalled. */
    GONE("gone"),
    /** The OS refused the signal. */
    DENIED("denied"),
    /** Not signalled: a safety rule (PID 1, portdoctor itself, a critical process without --force...). */
    REFUSED("refused"),
    /** Not signalled: its PID now belongs to another process, or it no longer holds the port. */
    SKIPPED("skipped"),
    /** Still running after the forced stop. */
    SURVIVED("survived"),
    /** Would be ended (--dry-run). */
    PLANNED("planned"),
    /**
     * Progress only, never in a finished report: a signal was sent and its effect is not known yet (what
     * an interrupted kill reports about a process it was waiting for).
     */
    SIGNALLED("signalled");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
