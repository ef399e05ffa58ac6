package dev.portdoctor.os.linux;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.Timing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.Locale;
import java.util.Set;

/**
 * The optional native fast path on Linux: {@code libportdoctor.so}, built from
 * {@code src/main/native/linux/portdoctor_linux.c} where the build machine has gcc (pom.xml, profile
 * {@code native}). It reads the socket tables through netlink sock_diag, filtered by state and port in
 * the kernel, and one process's {@code /proc/PID/fd} links with {@code readlinkat}; Java 17 can do
 * neither. Everything here is optional: when the library is missing, for another OS or architecture,
 * cannot be loaded ({@code noexec} cache directory, {@code SecurityException}, {@code
 * UnsatisfiedLinkError}) or was built for another version of this class, {@link #available()} is false
 * and the callers read {@code /proc} in Java, with the same results. {@code -Dportdoctor.native=false}
 * or {@code PORTDOCTOR_NATIVE=0} turns it off.
 *
 * <p>The library is looked for, in this order: {@code -Dportdoctor.native.library=PATH}; inside a class
 * directory ({@code target/classes/native/linux-x86_64/}, tests); beside the jar ({@code
 * native/linux-x86_64/libportdoctor.so} next to {@code portdoctor.jar}: {@code target/} after a build,
 * {@code lib/} of the release archive); else it is extracted once from the jar into the user's cache
 * ({@code $XDG_CACHE_HOME} or {@code ~/.cache}{@code /portdoctor/native/}), in a directory named for the
 * jar's size and time, so that a new jar never loads an old library.
 */
final class LinuxNative {
  /** The layout of the native calls' results; the library's {@code PD_ABI} must be the same. */
  static final int ABI = 1;

  /** Ints per socket row of {@link #sockets}: see portdoctor_linux.c. */
  static final int ROW = 13;

  static final String LIBRARY = "libportdoctor.so";

  private LinuxNative() {}

  /** Loaded at most once per process, the first time a caller asks. */
  private static final class Loaded {
    static final boolean OK = load();
  }

  /** Whether the native calls may be used in this process. */
  static boolean available() {
    return Loaded.OK;
  }

  /** The library's {@code PD_ABI}. */
  static native int abi();

  /**
   * One sock_diag dump.
   *
   * @param family {@code AF_INET} (2) or {@code AF_INET6} (10)
   * @param protocol {@code IPPROTO_TCP} (6) or {@code IPPROTO_UDP} (17)
   * @param states a bit per kernel state ({@code 1 << TCP_LISTEN} for listeners only)
   * @param portRanges {@code first, last} pairs of local ports to keep (null: all)
   * @return {@code [0]}: 0 or {@code -errno}; then {@link #ROW} ints per socket
   */
  static native int[] sockets(int family, int protocol, int states, int[] portRanges);

  /**
   * The socket links of one {@code /proc/PID/fd} directory.
   *
   * @param dir the directory's path (no NUL)
   * @param wanted the socket inodes to report, sorted ascending; null: every socket
   * @return {@code [0]}: 0 or {@code -errno} of opening or reading the directory; {@code [1]}: 1 when a
   *     link could not be read for want of permission; then {@code fd, inode} pairs
   */
  static native long[] fdSockets(byte[] dir, long[] wanted);

  /** The {@code native/} subdirectory for this OS and CPU, or null where there is no library. */
  static String platform(String osName, String osArch) {
    if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("linux") || osArch == null) {
      return null;
    }
    return switch (osArch) {
      case "amd64", "x86_64" -> "linux-x86_64";
      case "aarch64", "arm64" -> "linux-aarch64";
      default -> null;
    };
  }

  /** False when the property or the variable says off ({@code false}, {@code 0}, {@code off}, {@code no}). */
  static boolean enabled(String property, String env) {
    return !isOff(property) && !isOff(env);
  }

  private static boolean isOff(String v) {
    if (v == null) {
      return false;
    }
    String s = v.strip().toLowerCase(Locale.ROOT);
    return s.equals("false") || s.equals("0") || s.equals("off") || s.equals("no");
  }

  private static boolean load() {
    if (!enabled(System.getProperty("portdoctor.native"), System.getenv("PORTDOCTOR_NATIVE"))) {
      debug("native library off (-Dportdoctor.native / PORTDOCTOR_NATIVE): reading /proc in Java");
      return false;
    }
    String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    if (platform == null) {
      return false;
    }
    Path lib = null;
    try {
      lib = locate(platform);
      if (lib == null) {
        debug("no usable native library for " + platform + " beside the jar or in it: reading /proc in Java");
        return false;
      }
      String notOurs = elfProblem(lib, platform);
      if (notOurs != null) {
        debug("native library " + lib + " not loaded: " + notOurs + "; reading /proc in Java");
        return false;
      }
      System.load(lib.toString());
      int abi = abi();
      if (abi != ABI) {
        debug("native library " + lib + " is for another portdoctor (abi " + abi + ", want " + ABI
            + "): reading /proc in Java");
        return false;
      }
      Timing.mark("native library loaded");
      debug("native library " + lib + " loaded");
      return true;
    } catch (UnsatisfiedLinkError | IOException | RuntimeException e) {
      // noexec mount, another CPU's library, a damaged file, a JVM that forbids native code (SecurityException)
      if (Log.isDebug()) {
        Log.debug(LinuxNative.class, "native library " + (lib == null ? "" : lib + " ")
            + "not usable, reading /proc in Java: " + e, null);
      }
      return false;
    }
  }

  /**
   * Null when the file starts as a shared library for this CPU does (ELF, 64-bit, little-endian, {@code
   * ET_DYN}, the machine's {@code e_machine}); else what is wrong. Checked before {@code System.load}, which
   * for a file that is no library of ours may print a JVM warning on stderr (the stack-guard note).
   */
  static String elfProblem(Path lib, String platform) throws IOException {
    byte[] h;
    try (InputStream in = Files.newInputStream(lib)) {
      h = in.readNBytes(20);
    }
    if (h.length < 20 || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
      return "not an ELF file";
    }
    if (h[4] != 2 || h[5] != 1) {
      return "not a 64-bit little-endian ELF file";
    }
    int type = (h[16] & 0xff) | (h[17] & 0xff) << 8;
    int machine = (h[18] & 0xff) | (h[19] & 0xff) << 8;
    int want = platform.equals("linux-aarch64") ? 183 : 62; // EM_AARCH64, EM_X86_64
    if (type != 3) {
      return "not a shared library (ELF type " + type + ")";
    }
    return machine == want ? null : "built for another CPU (ELF machine " + machine + ", want " + want + ")";
  }

  private static void debug(String message) {
    if (Log.isDebug()) {
      Log.debug(LinuxNative.class, message, null);
    }
  }

  /** Where the library is, extracting it from the jar if need be; null when there is none. */
  private static Path locate(String platform) throws IOException {
    String explicit = System.getProperty("portdoctor.native.library");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath();
    }
    Path code = codeSource();
    if (code == null) {
      return null;
    }
    String relative = "native/" + platform + "/" + LIBRARY;
    if (Files.isDirectory(code)) {
      Path p = code.resolve(relative);
      return Files.isRegularFile(p) ? p : null; // a class directory: the build put it there, or nothing
    }
    Path dir = code.getParent();
    if (dir != null) {
      Path beside = dir.resolve(relative);
      if (Files.isRegularFile(beside)) {
        return beside;
      }
    }
    return extract(code, relative, platform);
  }

  /** The jar (or class directory) this class was loaded from, or null. */
  private static Path codeSource() {
    CodeSource cs = LinuxNative.class.getProtectionDomain().getCodeSource();
    URL url = cs == null ? null : cs.getLocation();
    if (url == null || !"file".equals(url.getProtocol())) {
      return null;
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The library from inside the jar, copied once into the user's cache: a directory per jar (its size and
   * modification time), written to a temporary name and moved into place, so that concurrent first runs
   * never load a half-written file. Only a directory and file that this user owns and nobody else can
   * write are ever loaded.
   */
  private static Path extract(Path jar, String relative, String platform) throws IOException {
    Path base = cacheBase();
    if (base == null) {
      return null;
    }
    URL inJar = LinuxNative.class.getResource("/" + relative);
    if (inJar == null) {
      return null; // a jar built without gcc
    }
    long size = Files.size(jar);
    long mtime = Files.getLastModifiedTime(jar).toMillis();
    Path dir = base.resolve("portdoctor").resolve("native")
        .resolve(platform + "-" + Long.toHexString(size) + "-" + Long.toHexString(mtime));
    Path lib = dir.resolve(LIBRARY);
    if (Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS)) {
      return privateToUs(dir) && privateToUs(lib) ? lib : notPrivate(lib);
    }
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
    createPrivateDirs(dir, owner);
    if (!privateToUs(dir)) {
      return notPrivate(dir);
    }
    Path tmp = Files.createTempFile(dir, "libportdoctor", ".tmp", PosixFilePermissions.asFileAttribute(owner));
    try {
      try (InputStream in = inJar.openStream(); OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out); // into the file made owner-only above, keeping its permissions
      }
      try {
        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // another first run was quicker: keep its file
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    debug("native library extracted from " + jar + " to " + lib);
    return privateToUs(lib) ? lib : notPrivate(lib);
  }

  private static Path notPrivate(Path p) {
    debug(p + " is not this user's alone (owner, group or other write, or a link): not loaded");
    return null;
  }

  private static Path cacheBase() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Path.of(xdg);
    }
    String home = System.getProperty("user.home");
    if (home == null || !home.startsWith("/") || home.equals("/")) {
      return null;
    }
    return Path.of(home, ".cache");
  }

  private static void createPrivateDirs(Path dir, Set<PosixFilePermission> owner) throws IOException {
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createPrivateDirs(parent, owner);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
    } catch (FileAlreadyExistsException e) {
      // there already, or made by a concurrent first run
    }
  }

  /** Owned by this process's user, not a symbolic link, and writable by nobody else. */
  private static boolean privateToUs(Path p) throws IOException {
    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink() || a.permissions().contains(PosixFilePermission.GROUP_WRITE)
        || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      return false;
    }
    return a.owner().equals(Files.getOwner(Path.of("/proc/self")));
  }
}
