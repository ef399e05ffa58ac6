package dev.portdoctor.core;

/**
 * State of a socket, with the vocabulary of Linux ({@code LISTEN}, {@code SYN_RECV}...). UDP sockets are
 * {@link #UNCONN} (bound, not connected, the UDP equivalent of listening) or {@link #ESTABLISHED}
 * (connected).
 */
public enum SocketState {
  ESTABLISHED,
  SYN_SENT,
  SYN_RECV,
  FIN_WAIT1,
  FIN_WAIT2,
  TIME_WAIT,
  CLOSE,
  CLOSE_WAIT,
  LAST_ACK,
  LISTEN,
  CLOSING,
  NEW_SYN_RECV,
  UNCONN,
  UNKNOWN;

  private static final SocketState[] LINUX_TCP = {
    UNKNOWN, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT,
    LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV
  };

  /**
   * Maps the kernel's numeric TCP state ({@code include/net/tcp_states.h}, the {@code st} column of
   * {@code /proc/net/tcp}) to a state.
   */
  public static SocketState fromLinuxTcp(int st) {
    return st > 0 && st < LINUX_TCP.length ? LINUX_TCP[st] : UNKNOWN;
  }

  /**
   * Maps the {@code st} column of {@code /proc/net/udp}: 1 is a connected socket, 7 (TCP_CLOSE) an
   * unconnected one, which is what a UDP server holds.
   */
  public static SocketState fromLinuxUdp(int st) {
    return st == 1 ? ESTABLISHED : st == 7 ? UNCONN : UNKNOWN;
  }

  /** True for the state in which a socket holds its port for a server: TCP LISTEN, UDP unconnected. */
  public boolean isListening() {
    return this == LISTEN || this == UNCONN;
  }
}
