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
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The Linux socket table: {@code /proc/net/{tcp,tcp6,udp,udp6}} for the sockets, and one walk of
 * {@code /proc/PID/fd} for their owners. No subprocess. The two reads are independent and run at the
 * same time when owners are wanted.
 */
public final class ProcSocketSource implements SocketSource {
  private final Path procRoot;
  private final Path netDir;
  private final boolean privileged;
  private final int threads;

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
    this.procRoot = procRoot;
    this.netDir = netDir;
    this.privileged = privileged;
    this.threads = threads;
  }

  @Override
  public String name() {
    return "proc";
  }

  @Override
  public List<SocketEntry> snapshot(SocketQuery query) {
    FutureTask<FdWalker.Result> walk = null;
    if (query.resolveOwners()) {
      walk = new FutureTask<>(() -> new FdWalker(procRoot, threads).walk());
      Thread t = new Thread(walk, "fd-walk");
      t.setDaemon(true);
      t.start();
    }
    List<SocketEntry> sockets = new ArrayList<>();
    for (Protocol protocol : Protocol.values()) {
      if (!query.protocols().contains(protocol)) {
        continue;
      }
      String base = protocol == Protocol.TCP ? "tcp" : "udp";
      readTable(netDir.resolve(base), protocol, false, query, sockets, true);
      readTable(netDir.resolve(base + "6"), protocol, true, query, sockets, false);
    }
    if (walk == null) {
      return sockets;
    }
    FdWalker.Result owners;
    try {
      owners = walk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortDoctorException(130, "interrupted");
    } catch (ExecutionException e) {
      throw new PortDoctorException(PortDoctorException.INTERNAL,
          "cannot read the processes' file descriptors under " + procRoot + ": " + e.getCause(), e.getCause());
    }
    Log.debug(ProcSocketSource.class, () -> "fd walk: " + owners.pidsByInode().size() + " socket inode(s) mapped, "
        + owners.deniedProcesses() + " process(es) not readable");
    return attachOwners(sockets, owners);
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

  private void readTable(Path file, Protocol protocol, boolean ipv6, SocketQuery query,
      List<SocketEntry> into, boolean required) {
    ProcFiles.Bytes bytes;
    try {
      bytes = ProcFiles.readAll(file, 256 * 1024);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot read " + file + ": no such file");
      }
      return; // no tcp6/udp6: IPv6 is disabled on this machine
    } catch (IOException e) {
      throw new PortDoctorException(PortDoctorException.INTERNAL, "cannot read " + file + ": " + e.getMessage(), e);
    }
    ParsedTable t = ProcNetParser.forThisMachine(protocol, ipv6).parse(bytes.data(), bytes.length(), query);
    Log.debug(ProcSocketSource.class, () -> file + ": " + bytes.length() + " bytes, " + t.entries().size()
        + " socket(s) kept for ports " + query.ports());
    if (t.skippedLines() > 0) {
      Log.debug(ProcSocketSource.class, () -> file + ": skipped " + t.skippedLines()
          + " malformed line(s), first at line " + t.firstSkippedLine().getAsInt() + ": " + t.firstSkippedText());
    }
    into.addAll(t.entries());
  }

}
