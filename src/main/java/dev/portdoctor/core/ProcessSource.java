package dev.portdoctor.core;

import java.util.Optional;

/** Details about processes, read on demand. */
public interface ProcessSource {

  /** The process, or empty when it does not exist (any more) or cannot be read at all. */
  Optional<ProcessInfo> info(long pid);

  /**
   * The service manager's unit that runs the process ({@code nginx.service}), when the OS has one and
   * the process runs in one; a unit restarts what is killed, so it is the thing to stop.
   */
  default Optional<ServiceUnit> serviceUnit(long pid) {
    return Optional.empty();
  }

  /**
   * What is really behind a holder (a container, a service manager's unit), when the process is only a
   * forwarder or would be restarted; empty when the process is the answer.
   */
  default Optional<Origin> origin(ProcessInfo process) {
    return Optional.empty();
  }

  /**
   * As {@link #origin(ProcessInfo)}, knowing the socket the process holds: its port names the container
   * that publishes it, its address the socket unit of socket activation.
   */
  default Optional<Origin> origin(ProcessInfo process, SocketEntry socket) {
    return origin(process);
  }

  /** The services a shared host process runs (Windows svchost.exe); empty elsewhere. */
  default java.util.List<String> services(long pid) {
    return java.util.List.of();
  }
}
