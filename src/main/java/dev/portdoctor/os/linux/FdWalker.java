package dev.portdoctor.os.linux;

import dev.portdoctor.core.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Maps socket inodes to the processes that hold them, by reading every {@code /proc/PID/fd/*} link once
 * ({@code socket:[INODE]}). There is no kernel interface that does this faster; every tool (ss -p,
 * lsof, fuser) walks the same links. The walk is split over threads, and processes that vanish or may
 * not be read are skipped and counted.
 *
 * <p>It never stops early: one socket can be held by many processes (a server that forks workers after
 * listen(), descriptors passed over a Unix socket), and the kernel tells no count of holders, so only a
 * walk of every process finds them all. What it saves is per descriptor: only the inodes asked for are
 * kept.
 */
final class FdWalker {
  private static final String SOCKET_PREFIX = "socket:[";
  private static final long DENIED = -2;
  private static final long EPERM = 1;
  private static final long ENOENT = 2;
  private static final long ESRCH = 3;
  private static final long EACCES = 13;

  /** The result of a walk: inode to PIDs, and how many processes could not be read for want of rights. */
  record Result(Map<Long, List<Long>> pidsByInode, int deniedProcesses) {}

  private final Path procRoot;
  private final int threads;
  private final long[] wanted;
  private final boolean nativeWalk;

  /**
   * @param wanted the socket inodes to look for, sorted ascending; null: every socket
   */
  FdWalker(Path procRoot, int threads, long[] wanted) {
    this(procRoot, threads, wanted, false);
  }

  /**
   * @param nativeWalk read each process's links with the native library ({@link LinuxNative#fdSockets}:
   *     {@code readlinkat} relative to the directory, no Path or String per descriptor); the caller has
   *     checked that it is {@link LinuxNative#available() available}
   */
  FdWalker(Path procRoot, int threads, long[] wanted, boolean nativeWalk) {
    this.procRoot = procRoot;
    this.threads = Math.max(1, threads);
    this.wanted = wanted;
    this.nativeWalk = nativeWalk;
  }

  Result walk() {
    List<Long> pids = listPids();
    // Even a quiet machine has a hundred processes; a few of them hold most descriptors (the load of a
    // busy server), so the workers take the next process as they finish one rather than a fixed share.
    int n = Math.min(threads, Math.max(1, pids.size() / 8));
    AtomicInteger next = new AtomicInteger();
    Worker[] workers = new Worker[n];
    Thread[] started = new Thread[n];
    for (int t = 0; t < n; t++) {
      workers[t] = new Worker(pids, next);
      if (t > 0) {
        started[t] = new Thread(workers[t], "fd-walk-" + t);
        started[t].setDaemon(true);
        started[t].start();
      }
    }
    workers[0].run();
    for (int t = 1; t < n; t++) {
      try {
        started[t].join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Map<Long, List<Long>> merged = workers[0].found;
    int denied = workers[0].denied;
    for (int t = 1; t < n; t++) {
      denied += workers[t].denied;
      for (Map.Entry<Long, List<Long>> e : workers[t].found.entrySet()) {
        List<Long> holders = merged.get(e.getKey());
        if (holders == null) {
          merged.put(e.getKey(), e.getValue());
        } else {
          holders.addAll(e.getValue());
        }
      }
    }
    return new Result(merged, denied);
  }

  private List<Long> listPids() {
    List<Long> pids = new ArrayList<>(512);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(procRoot)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        long pid = parsePid(name);
        if (pid > 0) {
          pids.add(pid);
        }
      }
    } catch (IOException e) {
      Log.debug(FdWalker.class, "cannot list " + procRoot, e);
    }
    return pids;
  }

  static long parsePid(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private final class Worker implements Runnable {
    private final List<Long> pids;
    private final AtomicInteger next;
    final Map<Long, List<Long>> found = new HashMap<>();
    int denied;

    Worker(List<Long> pids, AtomicInteger next) {
      this.pids = pids;
      this.next = next;
    }

    @Override
    public void run() {
      if (nativeWalk) {
        runNative();
        return;
      }
      for (int i = next.getAndIncrement(); i < pids.size(); i = next.getAndIncrement()) {
        walkJava(pids.get(i));
      }
    }

    private void walkJava(long pid) {
      Path fdDir = procRoot.resolve(Long.toString(pid)).resolve("fd");
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(fdDir)) {
        boolean deniedHere = false;
        for (Path fd : ds) {
          long inode = socketInode(fd);
          if (inode == DENIED && !deniedHere) {
            deniedHere = true; // listing allowed, links not (a sandbox, a security module)
            denied++;
          } else if (inode > 0 && (wanted == null || Arrays.binarySearch(wanted, inode) >= 0)) {
            add(inode, pid);
          }
        }
      } catch (AccessDeniedException e) {
        denied++;
      } catch (NoSuchFileException e) {
        // the process exited during the walk
      } catch (IOException | RuntimeException e) {
        // DirectoryIteratorException wraps errors of a directory that vanished mid-read
        Log.debug(FdWalker.class, () -> "skipping " + fdDir + ": " + e);
      }
    }

    private void add(long inode, long pid) {
      List<Long> holders = found.get(inode);
      if (holders == null) {
        holders = new ArrayList<>(2);
        found.put(inode, holders);
      }
      // a process often holds one socket through several descriptors: name it once
      if (holders.isEmpty() || holders.get(holders.size() - 1) != pid) {
        holders.add(pid);
      }
    }

    /**
     * The same walk through the native library: one call per process, the same counts and skips. A
     * process whose directory fails in another way than the expected ones (gone, not permitted) is
     * walked again in Java, so that a native error never drops an owner.
     */
    private void runNative() {
      String root = procRoot.toString();
      StringBuilder path = new StringBuilder(root.length() + 16);
      for (int i = next.getAndIncrement(); i < pids.size(); i = next.getAndIncrement()) {
        long pid = pids.get(i);
        path.setLength(0);
        path.append(root).append('/').append(pid).append("/fd");
        long[] r = LinuxNative.fdSockets(path.toString().getBytes(StandardCharsets.UTF_8), wanted);
        long status = r[0];
        if (status == -EACCES || status == -EPERM) {
          denied++;
          continue;
        }
        if (status == -ENOENT || status == -ESRCH) {
          continue; // the process exited before its directory could be opened
        }
        if (status != 0) {
          if (Log.isDebug()) {
            Log.debug(FdWalker.class, "native walk of " + path + ": errno " + -status + "; walking it in Java", null);
          }
          walkJava(pid);
          continue;
        }
        if (r[1] != 0) {
          denied++; // listing allowed, links not (a sandbox, a security module)
        }
        for (int k = 2; k + 1 < r.length; k += 2) {
          add(r[k + 1], pid);
        }
      }
    }

    private long socketInode(Path fd) {
      String target;
      try {
        target = Files.readSymbolicLink(fd).toString();
      } catch (AccessDeniedException e) {
        return DENIED;
      } catch (IOException | UnsupportedOperationException e) {
        return -1; // the descriptor was closed meanwhile
      }
      if (!target.startsWith(SOCKET_PREFIX) || !target.endsWith("]")) {
        return -1;
      }
      try {
        return Long.parseLong(target, SOCKET_PREFIX.length(), target.length() - 1, 10);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }
}
