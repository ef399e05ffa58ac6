package dev.portdoctor.core;

/** What is known about the processes that own a socket. */
public enum OwnerStatus {
  /** The owning processes were found. */
  KNOWN,
  /** No process owns it: a TIME_WAIT socket or another kernel-held one. */
  NONE,
  /** A process owns it but this user may not see which (another user's process, hidepid). */
  HIDDEN,
  /** The source does not tell, or the owner could not be found (it may have exited). */
  UNKNOWN
}
