package dev.portdoctor.os.linux;

import dev.portdoctor.core.Log;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The network namespaces of the host, found by grouping processes by the inode of
 * {@code /proc/PID/ns/net}. Each one's socket tables are {@code /proc/PID/net/*} of any of its processes.
 * Without root only the namespaces of this user's processes can be seen.
 */
public final class NetworkNamespaces {
  private NetworkNamespaces() {}

  /**
   * One network namespace.
   *
   * @param pids its processes (that could be read), lowest first
   * @param current whether portdoctor itself runs in it
   */
  public record Namespace(long inode, List<Long> pids, boolean current) {
    public Namespace {
      pids = List.copyOf(pids);
    }

    /** {@code net:[4026532281]}, as {@code readlink /proc/PID/ns/net} prints it. */
    public String label() {
      return "net:[" + inode + "]";
    }
  }

  /** Every namespace that has a process this user may inspect, this process's own first. */
  public static List<Namespace> list(Path procRoot) {
    long self = inode(procRoot.resolve("self/ns/net")).orElse(-1L);
    Map<Long, List<Long>> byInode = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(procRoot)) {
      for (Path p : ds) {
        long pid = FdWalker.parsePid(p.getFileName().toString());
        if (pid <= 0) {
          continue;
        }
        Optional<Long> ino = inode(p.resolve("ns/net"));
        ino.ifPresent(i -> byInode.computeIfAbsent(i, k -> new ArrayList<>()).add(pid));
      }
    } catch (IOException e) {
      Log.debug(NetworkNamespaces.class, "cannot list " + procRoot, e);
    }
    List<Namespace> out = new ArrayList<>();
    for (Map.Entry<Long, List<Long>> e : byInode.entrySet()) {
      List<Long> pids = new ArrayList<>(e.getValue());
      pids.sort(Long::compare);
      Namespace ns = new Namespace(e.getKey(), pids, e.getKey() == self);
      if (ns.current()) {
        out.add(0, ns);
      } else {
        out.add(ns);
      }
    }
    return out;
  }

  /** The inode of a {@code net:[N]} link; empty when it cannot be read (gone, or another user's). */
  static Optional<Long> inode(Path link) {
    try {
      String t = Files.readSymbolicLink(link).toString();
      if (t.startsWith("net:[") && t.endsWith("]")) {
        return Optional.of(Long.parseLong(t.substring(5, t.length() - 1)));
      }
    } catch (IOException | UnsupportedOperationException | SecurityException | NumberFormatException e) {
      // gone, or not ours to read
    }
    return Optional.empty();
  }

  /** The socket tables of a namespace: {@code /proc/PID/net} of the first of its processes still alive. */
  public static Optional<Path> netDir(Path procRoot, Namespace ns) {
    if (ns.current()) {
      return Optional.of(procRoot.resolve("net"));
    }
    for (long pid : ns.pids()) {
      Path dir = procRoot.resolve(Long.toString(pid)).resolve("net");
      if (Files.isReadable(dir.resolve("tcp"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
