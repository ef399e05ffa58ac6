package dev.portdoctor.core;

import java.util.List;
import java.util.Optional;

/**
 * What holds the ports inside one network namespace (Linux): {@code who --all-netns}.
 *
 * @param inode the namespace's inode ({@code net:[INODE]})
 * @param process a process that lives in it (the lowest PID: a container's init), to name it by
 * @param container the container it belongs to, when one is known
 * @param current whether portdoctor itself runs in it (the host's namespace, usually)
 */
public record NamespaceWho(long inode, Optional<ProcessInfo> process, Optional<Origin> container, boolean current,
    List<WhoResult> results) {
  public NamespaceWho {
    results = List.copyOf(results);
  }

  /** {@code net:[4026532281]}. */
  public String label() {
    return "net:[" + inode + "]";
  }
}
