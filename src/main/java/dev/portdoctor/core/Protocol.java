package dev.portdoctor.core;

import java.util.Locale;

/** Transport protocol of a socket. */
public enum Protocol {
  TCP,
  UDP;

  /** Lower-case name as used in output and JSON ({@code tcp}, {@code udp}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
