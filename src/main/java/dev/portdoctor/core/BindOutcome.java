package dev.portdoctor.core;

/** The result of one trial bind. */
public enum BindOutcome {
  /** The bind succeeded (the socket was closed again at once). */
  FREE("free"),
  /** EADDRINUSE / WSAEADDRINUSE. */
  IN_USE("in-use"),
  /** EACCES: a privileged port, or a Windows excluded range. */
  PERMISSION("permission"),
  /** EADDRNOTAVAIL: the address is not on any interface of this machine. */
  ADDRESS_NOT_AVAILABLE("address-not-available"),
  /** The address family is not supported here (no IPv6 on this host). */
  FAMILY_NOT_SUPPORTED("family-not-supported"),
  /** Anything else; the OS's own message is kept. */
  ERROR("error");

  private final String label;

  BindOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
