package dev.portdoctor.os.linux;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import dev.portdoctor.core.Timing;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The Linux socket table: {@code /proc/net/{tcp,tcp6,udp,udp6}} for the sockets, and one walk of
 * {@code /proc/PID/fd} for their owners. No subprocess. The tables come first, filtered by port and state
 * as they are parsed (IPv4 and IPv6 read at the same time; for LISTEN only, the TCP tables are read no
 * further than their listeners); the walk then looks only for the inodes of the sockets kept, and does
 * not run at all when none was.
 *
 * <p>Where the optional native library loads ({@link LinuxNative}), the tables of this process's own
 * network namespace come from netlink sock_diag instead ({@link SockDiagTable}: filtered by state and
 * port in the kernel), and the walk reads each process's links with {@code readlinkat}; the results are
 * the same, and any failure of the native path falls back to the files.
 */
public final class ProcSocketSource implements SocketSource {
  private final Path procRoot;
  private final Path netDir;
  private final boolean privileged;
  private final int threads;
  private final boolean allowNative;

  /**
   * @param procRoot {@code /proc}, or a copy of it in a test
   * @param privileged whether this process can read every process's descriptors (root)
   */
  public ProcSocketSource(Path procRoot, boolean privileged, int threads) {
    this(procRoot, procRoot.resolve("net"), privileged, threads);
  }

  /**
   * @param netDir the socket tables to read: {@code /proc/net} for this process's network namespace,
   *     {@code /proc/PID/net} for the namespace of process PID (the owners are still found by one walk of
   *     every process under {@code procRoot}: socket inodes are unique across namespaces)
   */
  public ProcSocketSource(Path procRoot, Path netDir, boolean privileged, int threads) {
    this(procRoot, netDir, privileged, threads, true);
  }

  /**
   * @param allowNative use the native library where it loads; false: the files and the Java walk only
   *     (tests compare the two)
   */
  ProcSocketSource(Path procRoot, Path netDir, boolean privileged, int threads, boolean allowNative) {
    this.procRoot = procRoot;
    this.netDir = netDir;
    this.privileged = privileged;
    this.threads = threads;
    this.allowNative = allowNative;
  }

  @Override
  public String name() {
    return "proc";
  }

  @Override
  public List<SocketEntry> snapshot(SocketQuery query) {
    boolean useNative = allowNative && LinuxNative.available();
    // sock_diag answers for the namespace of the asking socket: this process's, i.e. /proc/net
    List<SocketEntry> sockets = useNative && isLiveOwnNamespace() ? SockDiagTable.read(query) : null;
    if (sockets == null) {
      sockets = new ArrayList<>();
      for (Protocol protocol : Protocol.values()) {
        if (query.protocols().contains(protocol)) {
          readTables(protocol, query, sockets);
        }
      }
    }
    Timing.mark("tables read");
    if (!query.resolveOwners()) {
      return sockets;
    }
    long[] wanted = inodes(sockets);
    if (wanted.length == 0) {
      return sockets; // nothing on the port (or only TIME_WAIT): no process to look for
    }
    FdWalker.Result owners = new FdWalker(procRoot, threads, wanted, useNative).walk();
    Timing.mark("fd walk");
    Log.debug(ProcSocketSource.class, () -> "fd walk for " + wanted.length + " socket inode(s): "
        + owners.pidsByInode().size() + " found, " + owners.deniedProcesses() + " process(es) not readable");
    return attachOwners(sockets, owners);
  }

  private boolean isLiveOwnNamespace() {
    return procRoot.equals(LIVE_PROC) && netDir.equals(LIVE_NET);
  }

  private static final Path LIVE_PROC = Path.of("/proc");
  private static final Path LIVE_NET = Path.of("/proc/net");

  /** The distinct socket inodes of the table rows kept, sorted: what the fd walk looks for. */
  static long[] inodes(List<SocketEntry> sockets) {
    long[] all = new long[sockets.size()];
    int n = 0;
    for (SocketEntry s : sockets) {
      if (s.inode().isPresent()) {
        all[n++] = s.inode().getAsLong();
      }
    }
    long[] sorted = Arrays.copyOf(all, n);
    Arrays.sort(sorted);
    int distinct = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[distinct++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, distinct);
  }

  /**
   * The IPv4 and the IPv6 table of a protocol, read at the same time (each is a walk of the kernel's hash
   * tables, tens of milliseconds on a busy machine), kept in that order.
   */
  private void readTables(Protocol protocol, SocketQuery query, List<SocketEntry> into) {
    String base = protocol == Protocol.TCP ? "tcp" : "udp";
    boolean listenersOnly = protocol == Protocol.TCP && query.listeningOnly();
    FutureTask<List<SocketEntry>> v6 = new FutureTask<>(
        new TableRead(netDir.resolve(base + "6"), protocol, true, query, listenersOnly, false));
    Thread t = new Thread(v6, "read-" + base + "6");
    t.setDaemon(true);
    t.start();
    into.addAll(new TableRead(netDir.resolve(base), protocol, false, query, listenersOnly, true).call());
    try {
      into.addAll(v6.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortDoctorException(130, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PortDoctorException p) {
        throw p;
      }
      throw new PortDoctorException(PortDoctorException.INTERNAL,
          "cannot read " + netDir.resolve(base + "6") + ": " + e.getCause(), e.getCause());
    }
  }

  private List<SocketEntry> attachOwners(List<SocketEntry> sockets, FdWalker.Result walk) {
    // Another user's descriptors cannot be read without root, and with hidepid they cannot even be
    // listed: an owner not found is then hidden, never "none".
    boolean ownersMayHide = !privileged || walk.deniedProcesses() > 0;
    Map<Long, List<Long>> byInode = walk.pidsByInode();
    List<SocketEntry> out = new ArrayList<>(sockets.size());
    for (SocketEntry s : sockets) {
      if (s.inode().isEmpty()) {
        out.add(s);
        continue;
      }
      List<Long> pids = byInode.get(s.inode().getAsLong());
      if (pids != null && !pids.isEmpty()) {
        List<Owner> owners = new ArrayList<>(pids.size());
        for (long pid : pids) {
          owners.add(Owner.of(pid));
        }
        out.add(s.withOwners(OwnerStatus.KNOWN, owners));
      } else {
        out.add(s.withOwners(ownersMayHide ? OwnerStatus.HIDDEN : OwnerStatus.UNKNOWN, List.of()));
      }
    }
    return out;
  }

  /** One table read and parsed, keeping the rows the query accepts. */
  private static final class TableRead implements java.util.concurrent.Callable<List<SocketEntry>> {
    private final Path file;
    private final Protocol protocol;
    private final boolean ipv6;
    private final SocketQuery query;
    private final boolean listenersOnly;
    private final boolean required;

    /**
     * @param listenersOnly stop reading at the first row that is not a listener (TCP: they come first)
     * @param required a missing file is an error (tcp, udp), not a machine without IPv6 (tcp6, udp6)
     */
    TableRead(Path file, Protocol protocol, boolean ipv6, SocketQuery query, boolean listenersOnly, boolean required) {
      this.file = file;
      this.protocol = protocol;
      this.ipv6 = ipv6;
      this.query = query;
      this.listenersOnly = listenersOnly;
      this.required = required;
    }

    @Override
    public List<SocketEntry> call() {
      ProcFiles.Bytes bytes;
      try {
        bytes = listenersOnly ? ProcFiles.readTcpListeners(file) : ProcFiles.readAll(file, 256 * 1024);
      } catch (NoSuchFileException e) {
        if (required) {
          throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot read " + file + ": no such file");
        }
        return List.of(); // no tcp6/udp6: IPv6 is disabled on this machine
      } catch (IOException e) {
        throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot read " + file + ": " + e.getMessage(), e);
      }
      ParsedTable t = ProcNetParser.forThisMachine(protocol, ipv6).parse(bytes.data(), bytes.length(), query);
      Log.debug(ProcSocketSource.class, () -> file + ": " + bytes.length() + " bytes"
          + (listenersOnly ? " (the listeners)" : "") + ", " + t.entries().size()
          + " socket(s) kept for ports " + query.ports());
      if (t.skippedLines() > 0) {
        Log.debug(ProcSocketSource.class, () -> file + ": skipped " + t.skippedLines()
            + " malformed line(s), first at line " + t.firstSkippedLine().getAsInt() + ": " + t.firstSkippedText());
      }
      return t.entries();
    }
  }
}
