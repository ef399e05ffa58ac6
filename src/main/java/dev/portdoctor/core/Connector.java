package dev.portdoctor.core;

import java.time.Duration;

/** TCP connects, as a client would make them ({@code wait --listening --host}). */
public interface Connector {

  /**
   * Opens a TCP connection to {@code address:port} and closes it at once.
   *
   * @param address an IP literal
   * @param timeout how long the connect may take
   */
  ConnectResult connect(String address, int port, Duration timeout);
}
