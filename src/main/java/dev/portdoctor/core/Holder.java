package dev.portdoctor.core;

import java.util.List;

/**
 * A process that holds a socket, with its ancestors (parent first, up to PID 1) and its depth under
 * the other holders of the same socket (0 for a top holder, 1 for a worker it forked...).
 */
public record Holder(ProcessInfo process, List<ProcessInfo> ancestors, int depth) {
  public Holder {
    ancestors = List.copyOf(ancestors);
  }
}
