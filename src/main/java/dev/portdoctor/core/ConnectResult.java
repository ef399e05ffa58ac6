package dev.portdoctor.core;

import java.util.Optional;

/** One TCP connect: the address tried, how it ended, and the OS's message when it failed. */
public record ConnectResult(String address, int port, Outcome outcome, Optional<String> message) {

  /** Stable names for output and JSON. */
  public enum Outcome {
    /** The connection was accepted (and closed again). */
    CONNECTED("connected"),
    /** ECONNREFUSED: nothing listens there. */
    REFUSED("refused"),
    /** No answer within the connect timeout. */
    TIMEOUT("timeout"),
    /** No route, network down, or the address family is not available. */
    UNREACHABLE("unreachable"),
    /** Anything else; the OS's message is kept. */
    ERROR("error");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
