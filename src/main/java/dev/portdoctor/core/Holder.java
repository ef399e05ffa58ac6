package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;

/**
 * A process that holds a socket, with its ancestors (parent first, up to PID 1) and its depth under
 * the other holders of the same socket (0 for a top holder, 1 for a worker it forked...).
 *
 * @param services the services it hosts (a Windows svchost.exe), which are what really hold the port
 * @param note what the PID alone does not say (PID 4 on Windows is the kernel's HTTP driver)
 * @param origin what is really behind it (a container, a systemd unit), when the PID is not the answer
 */
public record Holder(ProcessInfo process, List<ProcessInfo> ancestors, int depth, List<String> services,
    Optional<String> note, Optional<Origin> origin) {
  public Holder {
    ancestors = List.copyOf(ancestors);
    services = List.copyOf(services);
  }

  public Holder(ProcessInfo process, List<ProcessInfo> ancestors, int depth) {
    this(process, ancestors, depth, List.of(), Optional.empty(), Optional.empty());
  }
}
