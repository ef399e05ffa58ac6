package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;

/**
 * What holds one port: the verdict first (one sentence), its cause and remedy, then every socket whose
 * local port it is, with its holders.
 *
 * @param cause a stable name: {@code listener}, {@code connections}, {@code time-wait}, {@code hidden},
 *     {@code docker-container}, {@code systemd-service}...; empty when nothing holds the port
 */
public record WhoResult(int port, List<SocketReport> sockets, String verdict, Optional<String> cause,
    Optional<String> remedy) {
  public WhoResult {
    sockets = List.copyOf(sockets);
  }
}
