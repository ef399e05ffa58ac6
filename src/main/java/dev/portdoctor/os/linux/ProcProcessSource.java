package dev.portdoctor.os.linux;

import dev.portdoctor.core.Origin;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.ProcessSource;
import dev.portdoctor.core.ServiceUnit;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.os.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Process details from {@code /proc/PID}: {@code stat} (name, parent), {@code cmdline} (raw bytes,
 * decoded leniently), {@code status} (effective uid), {@code exe}; the user name and start time come
 * from {@link ProcessHandle}, which reads the same files and resolves names through the C library, and
 * is what {@code kill} compares against before it signals.
 */
public final class ProcProcessSource implements ProcessSource {
  /** The kernel truncates {@code comm} to 15 characters. */
  private static final int COMM_MAX = 15;

  private final Path procRoot;
  private final boolean useProcessHandle;
  private final LinuxOrigins origins;

  /**
   * @param useProcessHandle false when {@code procRoot} is not this machine's {@code /proc} (tests)
   */
  public ProcProcessSource(Path procRoot, boolean useProcessHandle) {
    this(procRoot, useProcessHandle, null, LinuxOrigins.defaultDockerSocket(System.getenv()));
  }

  /**
   * @param runner runs {@code systemctl list-sockets} when PID 1 holds a socket; null: never
   * @param dockerSocket the Docker Engine API's socket, asked only when a holder is a container's forwarder
   */
  public ProcProcessSource(Path procRoot, boolean useProcessHandle, CommandRunner runner, Path dockerSocket) {
    this.procRoot = procRoot;
    this.useProcessHandle = useProcessHandle;
    CommandRunner r = runner != null ? runner
        : (argv, timeout) -> new CommandRunner.Output(127, "", "not run", false);
    this.origins = new LinuxOrigins(procRoot, r, dockerSocket,
        socket -> new DockerEngineClient(socket, LinuxOrigins.ENGINE_TIMEOUT), this::info);
  }

  @Override
  public Optional<Origin> origin(ProcessInfo process) {
    return origins.find(process, Optional.empty());
  }

  @Override
  public Optional<Origin> origin(ProcessInfo process, SocketEntry socket) {
    return origins.find(process, Optional.of(socket));
  }

  @Override
  public Optional<ProcessInfo> info(long pid) {
    Path dir = procRoot.resolve(Long.toString(pid));
    String stat;
    try {
      stat = ProcFiles.readString(dir.resolve("stat"));
    } catch (IOException e) {
      return Optional.empty(); // gone, or never existed
    }
    Stat s = Stat.parse(stat);
    if (s == null) {
      return Optional.empty();
    }
    Optional<String> exe = readLink(dir.resolve("exe"));
    String[] argv = readCmdline(dir.resolve("cmdline"));
    Optional<String> commandLine = argv.length == 0 ? Optional.empty() : Optional.of(String.join(" ", argv));
    OptionalInt uid = readEffectiveUid(dir.resolve("status"));
    Optional<String> user = Optional.empty();
    Optional<Instant> start = Optional.empty();
    if (useProcessHandle) {
      Optional<ProcessHandle> ph = ProcessHandle.of(pid);
      if (ph.isPresent()) {
        ProcessHandle.Info info = ph.get().info();
        user = info.user();
        start = info.startInstant();
      }
    }
    if (user.isEmpty() && uid.isPresent()) {
      user = Optional.of(Integer.toString(uid.getAsInt()));
    }
    return Optional.of(new ProcessInfo(pid, s.ppid > 0 ? OptionalLong.of(s.ppid) : OptionalLong.empty(),
        displayName(s.comm, exe, argv), exe, commandLine, user, uid, start));
  }

  @Override
  public Optional<ServiceUnit> serviceUnit(long pid) {
    try {
      return CgroupParser.unit(ProcFiles.readString(procRoot.resolve(Long.toString(pid)).resolve("cgroup")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The kernel's {@code comm}, unless it was cut at 15 characters: then the executable's or argv[0]'s
   * file name that it is the start of ({@code /usr/sbin/apache2} for {@code apach...}).
   */
  static String displayName(String comm, Optional<String> exe, String[] argv) {
    if (comm.length() < COMM_MAX) {
      return comm;
    }
    if (exe.isPresent()) {
      String base = baseName(exe.get());
      if (base.startsWith(comm)) {
        return base;
      }
    }
    if (argv.length > 0) {
      String first = argv[0];
      int space = first.indexOf(' ');
      String base = baseName(space > 0 ? first.substring(0, space) : first);
      if (base.startsWith(comm)) {
        return base;
      }
    }
    // A script run through its #! line: the kernel names it after the script (cut), while exe and
    // argv[0] are the interpreter's; the script's path is the first argument that is not an option.
    for (int i = 1; i < argv.length && i < 4; i++) {
      if (argv[i].startsWith("-")) {
        continue;
      }
      String base = baseName(argv[i]);
      if (base.startsWith(comm)) {
        return base;
      }
      break;
    }
    return comm;
  }

  private static String baseName(String path) {
    String p = path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
    int slash = p.lastIndexOf('/');
    return slash >= 0 ? p.substring(slash + 1) : p;
  }

  private static Optional<String> readLink(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty(); // kernel threads have no exe; other users' links need root
    }
  }

  static String[] readCmdline(Path file) {
    byte[] b;
    int len;
    try {
      ProcFiles.Bytes bytes = ProcFiles.readAll(file, 4096);
      b = bytes.data();
      len = bytes.length();
    } catch (IOException e) {
      return new String[0];
    }
    return splitCmdline(b, len);
  }

  /** Splits NUL-separated arguments; a trailing NUL ends the list. */
  static String[] splitCmdline(byte[] b, int len) {
    while (len > 0 && b[len - 1] == 0) {
      len--;
    }
    if (len == 0) {
      return new String[0];
    }
    java.util.List<String> args = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i <= len; i++) {
      if (i == len || b[i] == 0) {
        args.add(LenientUtf8.decode(b, start, i));
        start = i + 1;
      }
    }
    return args.toArray(new String[0]);
  }

  private static OptionalInt readEffectiveUid(Path status) {
    try {
      for (String line : ProcFiles.readString(status).split("\n")) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          if (f.length >= 2) {
            return OptionalInt.of(Integer.parseInt(f[1]));
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone, or a malformed file: the uid stays unknown
    }
    return OptionalInt.empty();
  }

  /** The fields of {@code /proc/PID/stat} that are used. {@code comm} may hold spaces and parentheses. */
  record Stat(String comm, long ppid) {
    static Stat parse(String stat) {
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < open || close + 2 >= stat.length()) {
        return null;
      }
      String comm = stat.substring(open + 1, close);
      String[] rest = stat.substring(close + 2).split(" ");
      if (rest.length < 2) {
        return null;
      }
      try {
        return new Stat(comm, Long.parseLong(rest[1]));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
