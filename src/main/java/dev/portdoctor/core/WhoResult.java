package dev.portdoctor.core;

import java.util.List;

/** What holds one port: every socket whose local port it is, with its holders. */
public record WhoResult(int port, List<SocketReport> sockets) {
  public WhoResult {
    sockets = List.copyOf(sockets);
  }
}
