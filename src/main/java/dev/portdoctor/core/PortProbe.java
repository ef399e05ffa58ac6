package dev.portdoctor.core;

/** Trial binds: open a socket the way a server does, bind it, close it at once. */
public interface PortProbe {

  /**
   * Binds {@code address:port} and closes it again.
   *
   * @param address an IP literal ({@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1}...)
   * @param reuseAddress whether to set SO_REUSEADDR before the bind, as most servers do on Unix
   */
  ProbeResult probe(Protocol protocol, String address, int port, boolean reuseAddress);
}
